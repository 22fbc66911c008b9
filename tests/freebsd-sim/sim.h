// freebsd-sim: one program that answers as jail, jls, jexec, zfs, mount,
// umount, sysrc, service, kldstat, kldload, sysctl, rctl, fetch, sha256,
// freebsd-update, chflags, ifconfig and pkg, with the flags, output, messages and
// exit codes of docs/freebsd.md. jail -c/-r run the jail's exec.* lines as
// jail(8) does (jail_commands.cc). It keeps the host's state in
// $LJAIL_SIM_STATE (state.json and a root/ directory standing for "/").
//
// It is deliberately independent of ljail: it shares no code with it (its
// jail.conf reader is its own), so a bug in ljail cannot be cancelled out by
// the same bug here. It is strict: whatever FreeBSD rejects, it rejects.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace sim {

/// Thrown to end a command the way FreeBSD would: message on stderr (if
/// any), then this exit code.
struct Exit {
  int code;
  std::string message;  // printed as is, a newline added
};

[[noreturn]] void Fail(int code, const std::string& message);

/// The simulated host: JSON state plus a directory standing for "/".
class State {
 public:
  /// Opens $LJAIL_SIM_STATE (locked for the life of the object).
  static State Open();
  /// Creates a fresh host in `dir`: a zroot pool, rc.conf defaults,
  /// resolv.conf, localtime, /home.
  static void Init(const std::string& dir);

  State(State&&) noexcept;
  ~State();

  nlohmann::json& json() { return json_; }
  const nlohmann::json& json() const { return json_; }
  /// Saves state.json atomically.
  void Save();
  /// Lets other commands run (before exec'ing a long-lived program, or
  /// while a jail's command runs: it may call simulated commands).
  void Unlock();
  /// Takes the lock again after Unlock and rereads state.json, which the
  /// commands run meanwhile may have changed.
  void Lock();
  /// The real path of a host path ("/etc/rc.conf" -> "<state>/root/etc/rc.conf"),
  /// ignoring mounts: where ljail's own file operations land.
  std::string Real(const std::string& host_path) const;
  /// The real path seen through the mount table, as the FreeBSD kernel
  /// would resolve it: below a nullfs mount, in its source; below a devfs,
  /// tmpfs or other virtual mount, in that mount's own directory.
  std::string Resolve(const std::string& host_path) const;
  /// The host path of a real path under root/, or "" when outside.
  std::string HostPath(const std::string& real) const;
  const std::string& dir() const { return dir_; }

 private:
  State(std::string dir, int lock_fd);
  std::string dir_;
  int lock_fd_ = -1;
  nlohmann::json json_;
};

/// Strict option parsing in getopt(3) style: `spec` is getopt's optstring;
/// an unknown flag calls `usage` (which must not return). Returns the
/// options in order and leaves the operands in `operands`.
std::vector<std::pair<char, std::string>> GetOpt(const std::vector<std::string>& args,
                                                 const std::string& spec,
                                                 std::vector<std::string>* operands,
                                                 const std::function<void(char)>& usage);

// Files under the simulated root.
bool Exists(const std::string& real);
bool IsDirectory(const std::string& real);
bool IsSymlink(const std::string& real);
std::string ReadText(const std::string& real);
void WriteText(const std::string& real, const std::string& text);
/// The first component of `host_path` (below `below`, a host path) that is a
/// symbolic link, seen through the mount table; "" when there is none.
std::string FirstSymlink(const State& state, const std::string& host_path,
                         const std::string& below = "/");
/// SHA-256 of a real file, as 64 hex digits.
std::string Sha256Of(const std::string& real);
/// Lines of a text, without their newlines.
std::vector<std::string> Lines(const std::string& text);
std::vector<std::string> Split(const std::string& text, char separator);
std::string Join(const std::vector<std::string>& parts, const std::string& separator);

// The commands. Each gets its arguments without argv[0] and returns the
// exit code (or throws Exit).
int Jail(State& s, const std::vector<std::string>& args);
int Jls(State& s, const std::vector<std::string>& args);
int Jexec(State& s, const std::vector<std::string>& args);
int Service(State& s, const std::vector<std::string>& args);
int Zfs(State& s, const std::vector<std::string>& args);
int Mount(State& s, const std::vector<std::string>& args);
int Umount(State& s, const std::vector<std::string>& args);
int Sysrc(State& s, const std::vector<std::string>& args);
int Kldstat(State& s, const std::vector<std::string>& args);
int Kldload(State& s, const std::vector<std::string>& args);
int Sysctl(State& s, const std::vector<std::string>& args);
int Rctl(State& s, const std::vector<std::string>& args);
int Fetch(State& s, const std::vector<std::string>& args);
int Sha256(State& s, const std::vector<std::string>& args);
int FreebsdUpdate(State& s, const std::vector<std::string>& args);
int Chflags(State& s, const std::vector<std::string>& args);
int Debootstrap(State& s, const std::vector<std::string>& args);
int Devfs(State& s, const std::vector<std::string>& args);
int Ifconfig(State& s, const std::vector<std::string>& args);
int Pkg(State& s, const std::vector<std::string>& args);

// Shared between commands.
/// Mounts as mount(8) would; `fail_prefix` starts error messages.
void DoMount(State& s, const std::string& fstype, const std::string& options,
             const std::string& device, const std::string& mountpoint,
             const std::string& fail_prefix);
/// Unmounts as umount(8) would. A mount listed in the state's "busy_mounts"
/// (a process holds files open there) needs `force` (umount -f).
void DoUnmount(State& s, const std::string& mountpoint, const std::string& fail_prefix,
               bool force = false);
/// A jail's removal gives the host back the interfaces in its vnet.
void ReturnVnetInterfaces(State& s, int jid);
/// Runs a program on the simulated host as jail(8) runs a jail's host
/// commands (jail_commands.cc): FreeBSD's program paths lead to the
/// simulated programs. The state is saved and unlocked meanwhile, then
/// reread. Returns the wait status.
int RunOnHost(State& s, const std::vector<std::string>& argv);
/// SIGTERMs the processes whose root is in the jail at `path` (or in a
/// file system mounted below it), waits up to `timeout` seconds, then
/// kills what is left (jail(8) stop.timeout, then the kernel's removal).
void StopJailProcesses(State& s, const std::string& path, int timeout);
/// rc.conf value with /etc/defaults/rc.conf underneath; nullopt if unknown.
std::optional<std::string> RcValue(const State& s, const std::string& name);

}  // namespace sim
