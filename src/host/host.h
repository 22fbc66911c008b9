// The host ljail manages: the one place that runs commands and touches host
// files (code-style-anchors §6.6, §6.10). Paths given to it are host paths
// ("/etc/jail.conf"); it opens them under the --root prefix.
#pragma once

#include <sys/types.h>

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "core/archive.h"
#include "core/root_fs.h"
#include "core/safe_remove.h"
#include "core/tree_fs.h"
#include "host/process.h"

namespace ljail::host {

enum class HostOs { kFreeBSD, kLinux };

/// The host's kind: uname(2), unless LJAIL_HOST_OS says "freebsd" or
/// "linux" (the FreeBSD simulator sets it; so can a user driving a FreeBSD
/// image from Linux).
HostOs DetectHostOs();

/// Where ljail keeps its own files on this OS, chosen once with the OS:
/// hier(7) on FreeBSD, the FHS on Linux.
struct HostPaths {
  const char* jails_dir;  ///< settings' default: /usr/local/jails, /var/lib/ljail/jails
  const char* state_dir;  ///< journals and records: /var/db/ljail, /var/lib/ljail
  const char* lock_dir;   ///< flock(2) files: /var/run/ljail/.locks, /run/ljail/.locks
};

class Host {
 public:
  explicit Host(RootFs root, HostOs os = DetectHostOs());

  const RootFs& root() const { return root_; }
  HostOs os() const { return os_; }
  const HostPaths& paths() const;

  /// Prints every command run to `trace` ("+ zfs create ...") when set.
  void set_trace(std::ostream* trace) { trace_ = trace; }

  /// Runs a command and returns its result, whatever its exit code.
  ProcessResult Run(const Command& command) const;
  /// Runs a command that must succeed; otherwise throws ljail::Error with the
  /// command line, the exit code and what it printed on stderr.
  ProcessResult Must(const Command& command) const;
  /// Runs with ljail's terminal (progress meters) and returns the exit code;
  /// with `accepted` non-empty, throws unless the code is one of them.
  int Interactive(const Command& command, std::initializer_list<int> accepted = {0}) const;

  std::optional<std::string> ReadFile(const std::string& path) const;
  /// Atomic replace (temporary file + rename); parents must exist.
  void WriteFile(const std::string& path, const std::string& content, mode_t mode = 0644) const;
  void MakeDirectories(const std::string& path, mode_t mode = 0755) const;
  /// Makes `path` a symbolic link to `target`, replacing what is there
  /// (a new link renamed over it: never written through).
  void Symlink(const std::string& target, const std::string& path) const;
  /// The target of a symbolic link; nullopt when `path` is not one.
  std::optional<std::string> ReadLink(const std::string& path) const;
  bool Exists(const std::string& path) const;
  bool IsDirectory(const std::string& path) const;
  /// A regular file, links followed (host files, not a jail's).
  bool IsFile(const std::string& path) const;
  /// The names in a directory, sorted; none when it is missing or unreadable.
  std::vector<std::string> ListDirectory(const std::string& path) const;
  /// The regular files anywhere below `path`, as sorted relative names
  /// ("Asia/Shanghai"); links to directories are not entered.
  std::vector<std::string> FilesBelow(const std::string& path) const;
  /// Removes a file or link (not a directory); a missing one is not an error.
  void RemoveFile(const std::string& path) const;
  /// Removes `path` and everything below it without following a link or
  /// entering a mount (core/safe_remove.h).
  RemoveResult RemoveTree(const std::string& path, bool keep_top = false) const;
  /// Extracts `archive`, a file the user named (opened as given, not under
  /// --root), into the existing directory at host path `into`
  /// (core/archive.h).
  size_t ExtractArchive(const std::string& archive, const std::string& into,
                        const ExtractOptions& options = {}) const;
  /// The jail tree (or template tree) at host path `tree`: the one way to
  /// read or write what is inside it (core/tree_fs.h). Throws when it is
  /// not a directory; TreeIfExists says nullopt when nothing is there.
  TreeFs Tree(const std::string& tree) const { return TreeFs::Open(Real(tree), tree); }
  std::optional<TreeFs> TreeIfExists(const std::string& tree) const;
  /// The path to open for a host path. Outside the system layer only for
  /// the argv of a host tool that runs on the real file system.
  std::string Real(const std::string& path) const { return root_.Host(path); }

 private:
  RootFs root_;
  HostOs os_;
  std::ostream* trace_ = nullptr;
};

/// "cmd args: exit N: <first lines of stderr>" for an error message.
std::string DescribeFailure(const Command& command, const ProcessResult& result);

}  // namespace ljail::host
