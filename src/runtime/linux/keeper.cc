#include "runtime/linux/keeper.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/safe_remove.h"
#include "core/strings.h"
#include "runtime/linux/cgroup.h"
#include "runtime/linux/child.h"
#include "runtime/linux/confinement.h"
#include "runtime/linux/mount_setup.h"
#include "runtime/linux/syscalls.h"
#include "runtime/linux/user_namespace.h"

namespace ljail::host::linux_ns {
namespace {

constexpr const char* kKeeperName = "ljail-keeper";
constexpr int kReportFd = 3;   // the start report, as ljail-keeper expects it
constexpr int kProgramFd = 4;  // ljail-keeper, opened on the host
constexpr int kUsernsFd = 5;   // the jail's user namespace, until the keeper joins it
constexpr int kNetnsFd = 6;    // the network namespace that user namespace owns

// One start or stop at a time on this host: two `ljail start web` must not
// make two keepers. The lock is on /run/ljail itself, so that it leaves no
// file behind, and it dies with the process that holds it.
class RuntimeLock {
 public:
  explicit RuntimeLock(const Host& host) {
    host.MakeDirectories("/run/ljail", 0700);
    std::string path = host.Real("/run/ljail");
    fd_ = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd_ < 0) ThrowSystem("open", path, errno);
    while (::flock(fd_, LOCK_EX) != 0) {
      if (errno != EINTR) ThrowSystem("lock", path, errno);
    }
  }
  ~RuntimeLock() { ::close(fd_); }
  RuntimeLock(const RuntimeLock&) = delete;
  RuntimeLock& operator=(const RuntimeLock&) = delete;

 private:
  int fd_ = -1;
};

// comm and start time of a process, from /proc/PID/stat (proc(5)): the
// name is in parentheses and may hold spaces, so fields are counted from
// the last ')'.
bool ReadProcStat(pid_t pid, std::string* comm, unsigned long long* start_time,
                  char* state = nullptr) {
  std::string text;
  if (FILE* f = std::fopen(fmt::format("/proc/{}/stat", pid).c_str(), "re")) {
    char buffer[1024];
    size_t n = std::fread(buffer, 1, sizeof buffer, f);
    (void)std::fclose(f);
    text.assign(buffer, n);
  }
  size_t open = text.find('('), close = text.rfind(')');
  if (open == std::string::npos || close == std::string::npos) return false;
  *comm = text.substr(open + 1, close - open - 1);
  std::vector<std::string> fields = Words(text.substr(close + 1));  // from field 3
  if (fields.size() < 20) return false;
  *start_time = std::stoull(fields[19]);
  if (state) *state = fields[0].empty() ? '?' : fields[0][0];
  return true;
}

std::string NowUtc() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buffer[32];
  return std::string(buffer, std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm));
}

std::string StatePath(const std::string& name) { return RuntimeDir(name) + "/keeper.json"; }
// Written by the keeper, renamed to keeper.json once the start succeeded:
// no `ljail exec` joins a jail whose keeper is not confined yet.
std::string StartingPath(const std::string& name) { return StatePath(name) + ".starting"; }

void WriteOomScoreAdjust(int adjust) {
  int fd = ::open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
  std::string text = std::to_string(adjust);
  if (fd < 0) ThrowSystem("open", "/proc/self/oom_score_adj", errno);
  ssize_t n = ::write(fd, text.data(), text.size());
  int err = errno;
  ::close(fd);
  if (n < 0 && err != EACCES && err != EPERM) ThrowSystem("write", "/proc/self/oom_score_adj", err);
}

void WriteState(const Host& host, const RuntimeSpec& spec) {
  // /proc here is still the host's: /proc/self names the keeper by its
  // host PID, not 1.
  char link[32] = {};
  if (::readlink("/proc/self", link, sizeof link - 1) <= 0)
    ThrowSystem("readlink", "/proc/self", errno);
  KeeperState s{spec.name,
                static_cast<pid_t>(std::stol(link)),
                0,
                spec.config_file,
                spec.path,
                spec.vnet,
                NowUtc(),
                spec.raw_sockets,
                JailCgroupPath(host.root().prefix(), spec.name)};
  std::string comm;
  if (!ReadProcStat(s.pid, &comm, &s.start_time)) ThrowFailure("cannot read /proc/self/stat");
  nlohmann::ordered_json j = {{"name", s.name},
                              {"pid", s.pid},
                              {"start_time", s.start_time},
                              {"config", s.config},
                              {"path", s.path},
                              {"vnet", s.vnet},
                              {"started", s.started},
                              {"raw_sockets", s.raw_sockets},
                              {"cgroup", s.cgroup}};
  host.WriteFile(StartingPath(spec.name), j.dump(2) + "\n", 0600);
}

// Where the keeper program is: next to ljail (a build tree), else where
// it is installed. Opened before the jail's root replaces the host's.
int OpenKeeperProgram() {
  std::vector<std::string> candidates;
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) candidates.push_back((self.parent_path() / kKeeperName).string());
#ifdef LJAIL_KEEPER_INSTALLED
  candidates.emplace_back(LJAIL_KEEPER_INSTALLED);
#endif
  for (const std::string& path : candidates) {
    int fd = ::open(path.c_str(), O_PATH | O_CLOEXEC);
    if (fd >= 0) return fd;
  }
  ThrowFailure(fmt::format("no {} program (looked for {}): ljail is not fully installed",
                           kKeeperName, Join(candidates, ", ")));
}

// PID 1 of the jail: sets the jail up, then becomes ljail-keeper
// (src/keeper), which reports the start and holds the jail. Signals stay
// blocked throughout; the mask survives execve.
[[noreturn]] void KeeperMain(const Host& host, const RuntimeSpec& spec, int report_fd,
                             int program_fd, int userns_fd, int netns_fd) {
  sigset_t all;
  sigfillset(&all);
  ::sigprocmask(SIG_SETMASK, &all, nullptr);
  ::prctl(PR_SET_NAME, kKeeperName, 0, 0, 0);
  // fd 3 stays open across the exec (the keeper program reports on it);
  // fd 4, the program, closes with it, and so do 5 and 6, the namespaces
  // of a user namespace (-1 without). All go through high numbers first,
  // so none can overwrite another.
  auto high = [](int fd) { return fd < 0 ? -2 : ::fcntl(fd, F_DUPFD_CLOEXEC, 10); };
  int report = high(report_fd), program = high(program_fd);
  int userns = high(userns_fd), netns = high(netns_fd);
  if (report < 0 || program < 0 || userns == -1 || netns == -1 || ::dup2(report, kReportFd) < 0 ||
      ::dup3(program, kProgramFd, O_CLOEXEC) < 0 ||
      (userns >= 0 && ::dup3(userns, kUsernsFd, O_CLOEXEC) < 0) ||
      (netns >= 0 && ::dup3(netns, kNetnsFd, O_CLOEXEC) < 0))
    ::_exit(1);
  int null = ::open("/dev/null", O_RDWR);
  if (null >= 0) {
    for (int fd = 0; fd < 3; ++fd) ::dup2(null, fd);
  }
  ::close_range(kNetnsFd + 1, ~0U, 0);
  if (userns < 0) ::close(kUsernsFd);
  if (netns < 0) ::close(kNetnsFd);
  if (::chdir("/") != 0) ::_exit(1);
  try {
    const std::string tree = host.Real(spec.path);
    MakeMountsPrivate();
    // A vnet jail with a user namespace: the network namespace that one
    // owns, so that root inside may configure its interfaces (the mounts
    // below see it: sysfs shows its devices).
    if (netns >= 0) JoinNamespace(kNetnsFd, CLONE_NEWNET, "the jail's network namespace");
    PerformMounts(spec, tree, userns >= 0 ? kUsernsFd : -1);
    MaskKernelInterfaces(tree);
    if (!spec.hostname.empty()) SetHostname(spec.hostname);
    if (spec.vnet) BringLoopbackUp();
    WriteState(host, spec);
    // A cgroup OOM kill of PID 1 would end the whole jail: the keeper asks
    // never to be the victim. A host that withholds CAP_SYS_RESOURCE refuses
    // that; the keeper program's few pages still make it the last choice.
    WriteOomScoreAdjust(-1000);
    // From here on the keeper's root is the tree, and it holds nothing a
    // jail's root could use: its capabilities are the jail's, and it is not
    // dumpable, so its /proc entries (root, fd, mem) and ptrace are closed
    // to processes without CAP_SYS_PTRACE, which no jail process has.
    PivotInto(tree);
    // Root of the jail's user namespace from here on: every capability of
    // that namespace, none of the host's; then the jail's bounding set.
    if (userns >= 0) BecomeNamespaceRoot(kUsernsFd, "the jail's user namespace");
    ConfineProcess({spec.vnet, spec.raw_sockets});
    if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
      ThrowSystem("prctl(PR_SET_DUMPABLE)", "the keeper", errno);
    std::string timeout = std::to_string(spec.stop_timeout);
    char* argv[] = {const_cast<char*>(kKeeperName), timeout.data(), nullptr};  // NOLINT
    char* envp[] = {nullptr};
    ::execveat(kProgramFd, "", argv, envp, AT_EMPTY_PATH);
    ThrowSystem("execveat", kKeeperName, errno);
  } catch (const std::exception& e) {
    ReportError(kReportFd, e);
  }
  ::_exit(1);
}

int PidFdOpen(pid_t pid) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); }

bool WaitForExit(int pidfd, int seconds) {
  struct pollfd p = {pidfd, POLLIN, 0};
  int rc;
  while ((rc = ::poll(&p, 1, seconds * 1000)) < 0 && errno == EINTR) {
  }
  return rc > 0;
}

}  // namespace

std::string RuntimeDir(const std::string& name) { return "/run/ljail/" + name; }

std::optional<KeeperState> RunningKeeper(const Host& host, const std::string& name) {
  std::optional<std::string> text = host.ReadFile(StatePath(name));
  if (!text) return std::nullopt;
  KeeperState s;
  try {
    auto j = nlohmann::json::parse(*text);
    s = {j.at("name"),           j.at("pid"),
         j.at("start_time"),     j.at("config"),
         j.at("path"),           j.value("vnet", false),
         j.value("started", ""), j.value("raw_sockets", false),
         j.value("cgroup", "")};
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
  std::string comm;
  unsigned long long start_time = 0;
  char state = '?';
  if (s.pid <= 0 || !ReadProcStat(s.pid, &comm, &start_time, &state)) return std::nullopt;
  // A zombie keeper has ended; its namespaces are gone.
  if (comm != kKeeperName || start_time != s.start_time || state == 'Z') return std::nullopt;
  return s;
}

bool StartKeeper(const Host& host, const RuntimeSpec& spec) {
  RuntimeLock lock(host);
  if (RunningKeeper(host, spec.name)) return false;
  std::string dir = host.Real(RuntimeDir(spec.name));
  RemoveTree(dir);  // a stale state of a keeper that died
  host.MakeDirectories(RuntimeDir(spec.name), 0700);
  int program = OpenKeeperProgram();
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    int err = errno;
    ::close(program);
    ThrowSystem("pipe", spec.name, err);
  }
  pid_t child = ::fork();
  if (child < 0) {
    int err = errno;
    for (int fd : {program, fds[0], fds[1]}) ::close(fd);
    ThrowSystem("fork", spec.name, err);
  }
  if (child == 0) {
    ::close(fds[0]);
    ::setsid();  // no terminal: ^C in the shell that ran `ljail start` is not for the jail
    int flags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWCGROUP;
    if (spec.vnet && spec.userns_base == 0) flags |= CLONE_NEWNET;
    bool ok = ReportOutcome(fds[1], [&] {
      // The jail's cgroup before its cgroup namespace: that namespace's
      // root is then the jail's own cgroup, and the keeper and all it
      // forks count against the jail's limits.
      JailCgroup cgroup = JailCgroup::At(JailCgroupPath(host.root().prefix(), spec.name));
      cgroup.Create(spec.limits);
      cgroup.Join(::getpid());
      // Before the PID namespace, whose first child is its PID 1.
      std::optional<JailUserNamespace> userns;
      if (spec.userns_base != 0)
        userns.emplace(JailUserNamespace::Make(spec.userns_base, spec.vnet));
      Unshare(flags, "the jail's namespaces (mount, UTS, IPC, PID, cgroup" +
                         std::string((flags & CLONE_NEWNET) != 0 ? ", network)" : ")"));
      pid_t keeper = ::fork();  // the first process of the new PID namespace: its PID 1
      if (keeper < 0) ThrowSystem("fork", "the keeper", errno);
      if (keeper == 0)
        KeeperMain(host, spec, fds[1], program, userns ? userns->user_fd() : -1,
                   userns ? userns->net_fd() : -1);
      ::_exit(0);
    });
    ::_exit(ok ? 0 : 1);
  }
  ::close(fds[1]);
  ::close(program);
  try {
    ReadOutcome(fds[0], "the keeper of " + spec.name);
    std::filesystem::rename(host.Real(StartingPath(spec.name)), host.Real(StatePath(spec.name)));
  } catch (...) {
    ::close(fds[0]);
    ::waitpid(child, nullptr, 0);
    RemoveTree(dir);
    JailCgroup::At(JailCgroupPath(host.root().prefix(), spec.name)).Remove();
    throw;
  }
  ::close(fds[0]);
  ::waitpid(child, nullptr, 0);
  return true;
}

bool StopKeeper(const Host& host, const std::string& name, int stop_timeout) {
  RuntimeLock lock(host);
  std::optional<KeeperState> keeper = RunningKeeper(host, name);
  if (keeper) {
    int pidfd = PidFdOpen(keeper->pid);
    // The pidfd pins the process: re-check that it is still our keeper.
    if (pidfd >= 0 && RunningKeeper(host, name)) {
      ::syscall(SYS_pidfd_send_signal, pidfd, SIGTERM, nullptr, 0);
      if (!WaitForExit(pidfd, stop_timeout + 5)) {
        ::syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, nullptr, 0);
        WaitForExit(pidfd, 5);
      }
    }
    if (pidfd >= 0) ::close(pidfd);
  }
  RemoveTree(host.Real(RuntimeDir(name)));
  // What is left of a cgroup after its last process is empty; one that
  // still holds processes stays and is reused at the next start.
  JailCgroup::At(JailCgroupPath(host.root().prefix(), name)).Remove();
  return keeper.has_value();
}

}  // namespace ljail::host::linux_ns
