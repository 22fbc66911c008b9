#include "runtime/linux/enter.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <linux/close_range.h>
#include <poll.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string_view>

#include "core/error.h"
#include "core/file_io.h"
#include "host/interrupt.h"
#include "jail/linux_users.h"
#include "jail/tree_settings.h"
#include "runtime/linux/cgroup.h"
#include "runtime/linux/child.h"
#include "runtime/linux/confinement.h"
#include "runtime/linux/pty_relay.h"
#include "runtime/linux/seccomp_filter.h"
#include "runtime/linux/syscalls.h"

namespace ljail::host::linux_ns {
namespace {

// In the child, after fork: everything up to exec. Throws what fails. Its
// root is already the jail's tree (the helper joined the keeper's mount
// namespace, whose root that is).
[[noreturn]] void RunInside(const jail::LinuxUser& user, const std::vector<std::string>& env,
                            const EnterRequest& request, int slave, const Terminals& terminals,
                            const Allowances& allowed) {
  const std::vector<std::string>& argv = request.argv;
  // A session of its own, never the caller's: with no terminal of ours it
  // has no controlling terminal at all, with one it has its own pty.
  if (slave >= 0) {
    AttachTerminal(slave, terminals);
  } else if (::setsid() < 0) {
    ThrowSystem("setsid", "the command", errno);
  }
  int fds[] = {request.stdin_fd, request.stdout_fd, request.stderr_fd};
  for (int target = 0; target < 3; ++target) {
    if (fds[target] >= 0 && ::dup2(fds[target], target) < 0)
      ThrowSystem("dup2", "the command's standard descriptors", errno);
  }
  // Only 0-2 reach the program (the report pipe stays until the exec).
  if (::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0)
    ThrowSystem("close_range", "the caller's other descriptors", errno);
  ConfineProcess(allowed);
  InstallSeccompFilter();  // last before the user: it refuses keyctl, which ConfineProcess uses
  BecomeUser(user.uid, user.gid, user.groups);
  if (::chdir(user.home.c_str()) != 0 && ::chdir("/") != 0) ThrowSystem("chdir", "/", errno);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig : {SIGINT, SIGQUIT, SIGPIPE, SIGTERM, SIGHUP, SIGALRM}) (void)::signal(sig, SIG_DFL);
  ::umask(022);
  ::clearenv();
  for (const std::string& e : env) {
    size_t eq = e.find('=');
    ::setenv(e.substr(0, eq).c_str(), e.substr(eq + 1).c_str(), 1);
  }
  std::vector<std::string> args = argv;
  std::string program = args.empty() ? user.shell : args[0];
  if (args.empty()) {
    // A login shell: argv[0] "-bash", as login(1) starts it.
    args.push_back("-" + user.shell.substr(user.shell.rfind('/') + 1));
  }
  std::vector<char*> cargv;
  cargv.reserve(args.size() + 1);
  for (std::string& a : args) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  if (argv.empty()) {
    ::execv(program.c_str(), cargv.data());
  } else {
    ::execvp(program.c_str(), cargv.data());
  }
  int err = errno;
  throw Error(ExitCode::kFailed, fmt::format("exec {}: {}", program, ErrnoText(err)), err);
}

int ExitStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

// The helper passes the signals that end a command on to the command's
// process group (RunInside makes it a session leader, so apt and whatever
// it runs are in it), and a SIGTERM (ljail stopping a step, or ljail's death:
// PR_SET_PDEATHSIG) is followed by SIGKILL when the group is still there
// after kStopGrace: nothing ljail started in a jail outlives ljail's wait.
constexpr unsigned kStopGrace = 3;  // seconds
constexpr int kForwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGALRM};
volatile std::sig_atomic_t g_command = 0;

void ForwardToCommand(int sig) {
  const pid_t command = g_command;
  if (command <= 0) return;
  const int send = sig == SIGALRM ? SIGKILL : sig;
  if (::kill(-command, send) != 0) (void)::kill(command, send);  // not yet its own group
  if (sig == SIGTERM) (void)::alarm(kStopGrace);
}

sigset_t ForwardedSignals() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : kForwarded) sigaddset(&set, sig);
  return set;
}

// In the helper, once the command is forked: forward from now on.
void ForwardSignalsTo(pid_t command, const sigset_t& blocked) {
  g_command = command;
  struct sigaction forward {};
  forward.sa_handler = ForwardToCommand;
  sigemptyset(&forward.sa_mask);
  for (int sig : kForwarded) ::sigaction(sig, &forward, nullptr);
  ::sigprocmask(SIG_UNBLOCK, &blocked, nullptr);
}

// True when `pid` is in this process's user namespace (the host's, for a
// jail without one of its own).
bool OwnUserNamespace(pid_t pid) {
  struct stat mine {
  }, theirs{};
  std::string path = fmt::format("/proc/{}/ns/user", pid);
  if (::stat("/proc/self/ns/user", &mine) != 0) ThrowSystem("stat", "/proc/self/ns/user", errno);
  if (::stat(path.c_str(), &theirs) != 0) ThrowSystem("stat", path, errno);
  return mine.st_dev == theirs.st_dev && mine.st_ino == theirs.st_ino;
}

// In the helper: join, look the user up in the tree, fork the command
// into the jail's PID namespace, relay its terminal, return its status.
// The report pipe stays open in the command until its exec (O_CLOEXEC).
// The user a command runs as, read from the jail's tree once "/" is it:
// what its root wrote there (a link, a FIFO, a huge file) can neither lead
// out of it nor stall or flood ljail. *env is the user's login environment.
std::optional<jail::LinuxUser> LoginInside(const std::string& jail_name, const std::string& name,
                                           std::vector<std::string>* env) {
  TreeFs tree = TreeFs::Open("/", jail_name);
  std::optional<jail::LinuxUser> user = jail::FindTreeUser(tree, name.empty() ? "root" : name);
  if (!user) ThrowUsage(fmt::format("no user \"{}\" in {}'s /etc/passwd", name, jail_name));
  const char* term = std::getenv("TERM");
  const char* lang = std::getenv("LANG");
  *env = jail::LoginEnvironment(*user, term ? term : "", jail::LoginLocale(tree, lang ? lang : ""));
  return user;
}

// A pty of the jail's own devfs, for a command at a terminal.
PtyPair JailPty(const std::string& jail_name) {
  std::optional<PtyPair> pty = OpenPty("/dev/ptmx");
  if (!pty) {
    ThrowFailure(
        fmt::format("{} has no /dev/ptmx (no devfs mount line): run the command "
                    "with its standard descriptors redirected away from the terminal",
                    jail_name));
  }
  return *pty;
}

int JoinAndRun(const KeeperState& keeper, const EnterRequest& request, int report) {
  // The command, not this helper, joins the jail's cgroup and cgroup
  // namespace, once it is forked: its processes count against the jail's
  // limits, and the jail's OOM killer never picks ljail's relay. Both are
  // opened now, while cgroupfs and /proc are the host's.
  std::vector<int> cgroup_procs;
  if (!keeper.cgroup.empty()) cgroup_procs = JailCgroup::At(keeper.cgroup).OpenProcsFiles();
  int cgroup_ns = OpenNamespace(keeper.pid, "cgroup");
  // A jail with a user namespace of its own: the command joins it last,
  // after everything that needs the host's root.
  int userns = OwnUserNamespace(keeper.pid) ? -1 : OpenNamespace(keeper.pid, "user");
  // The mount namespace last: it changes what paths mean, /proc included.
  static const struct {
    const char* name;
    int type;
  } kNamespaces[] = {{"ipc", CLONE_NEWIPC},
                     {"uts", CLONE_NEWUTS},
                     {"net", CLONE_NEWNET},
                     {"pid", CLONE_NEWPID},
                     {"mnt", CLONE_NEWNS}};
  for (const auto& ns : kNamespaces) JoinNamespace(keeper.pid, ns.name, ns.type);

  std::vector<std::string> env;
  std::optional<jail::LinuxUser> user = LoginInside(keeper.name, request.user, &env);

  // ljail's own descriptors are the command's unless the request names
  // others; a terminal among them is replaced by a pty of the jail's.
  Terminals terminals;
  if (request.stdin_fd < 0 && request.stdout_fd < 0 && request.stderr_fd < 0)
    terminals = StandardTerminals();
  std::optional<PtyPair> pty;
  if (terminals.any()) pty = JailPty(keeper.name);

  // After setns(CLONE_NEWPID) only children are in the jail's PID namespace.
  // A stop signal is held back until the helper can forward it.
  const sigset_t forwarded = ForwardedSignals();
  ::sigprocmask(SIG_BLOCK, &forwarded, nullptr);
  pid_t child = ::fork();
  if (child < 0) ThrowSystem("fork", keeper.name, errno);
  if (child == 0) {
    if (pty) ::close(pty->master);
    try {
      JoinWith(cgroup_procs);
      JoinNamespace(cgroup_ns, CLONE_NEWCGROUP, "the jail's cgroup namespace");
      if (userns >= 0) BecomeNamespaceRoot(userns, "the jail's user namespace");
      RunInside(*user, env, request, pty ? pty->slave : -1, terminals,
                {keeper.vnet, keeper.raw_sockets});
    } catch (const std::exception& e) {
      ReportError(report, e);
    }
    ::_exit(127);
  }
  ForwardSignalsTo(child, forwarded);
  ::close(report);
  for (int fd : cgroup_procs) ::close(fd);
  ::close(cgroup_ns);
  if (userns >= 0) ::close(userns);
  int status = 0;
  if (pty) {
    ::close(pty->slave);
    status = RelayUntilExit(pty->master, child, terminals);
  } else {
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
  }
  return ExitStatus(status);
}

}  // namespace

ProcessResult RunCapturedInJail(const KeeperState& keeper, const std::vector<std::string>& argv,
                                const std::string& input, const std::string& user) {
  // Output files hold at most kCapturedOutputLimit bytes (sealed against
  // growing past it): a tree's /etc/passwd made a link to /dev/zero fills
  // them, and the command's next write fails, instead of filling memory.
  auto memory_file = [&](const char* what, bool capped) {
    int fd = ::memfd_create(what, MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0) ThrowSystem("memfd_create", what, errno);
    if (capped && (::ftruncate(fd, static_cast<off_t>(kCapturedOutputLimit + 1)) != 0 ||
                   ::fcntl(fd, F_ADD_SEALS, F_SEAL_GROW) != 0)) {
      int e = errno;
      ::close(fd);
      ThrowSystem("cap the size of", what, e);
    }
    return fd;
  };
  int in = memory_file("ljail-stdin", false), out = memory_file("ljail-stdout", true),
      err = memory_file("ljail-stderr", true);
  // What the command wrote: its descriptor shares our file offset. A file
  // at the cap means it had more to say (its write failed): an error.
  bool over = false;
  auto read_all = [&](int fd) {
    off_t written = ::lseek(fd, 0, SEEK_CUR);
    over = over || written > static_cast<off_t>(kCapturedOutputLimit);
    std::string text(static_cast<size_t>(std::clamp<off_t>(written, 0, kCapturedOutputLimit)),
                     '\0');
    ssize_t n = ::pread(fd, text.data(), text.size(), 0);
    text.resize(n > 0 ? static_cast<size_t>(n) : 0);
    ::close(fd);
    return text;
  };
  ProcessResult result;
  try {
    if (!input.empty() &&
        ::write(in, input.data(), input.size()) != static_cast<ssize_t>(input.size()))
      ThrowSystem("write", "the command's input", errno);
    ::lseek(in, 0, SEEK_SET);
    result.exit_code = RunInJail(keeper, {user, argv, in, out, err});
  } catch (...) {
    for (int fd : {in, out, err}) ::close(fd);
    throw;
  }
  ::close(in);
  result.out = read_all(out);
  result.err = read_all(err);
  if (over) {
    ThrowFailure(fmt::format("{} in {}: more than {} MiB of output (stopped there)",
                             ShellQuote(argv), keeper.name, kCapturedOutputLimit >> 20));
  }
  return result;
}

namespace {

// ljail waits for the helper. During a step (interruptions handled) a
// signal for ljail becomes a SIGTERM for the helper, which stops the command
// (ForwardToCommand); the wait is a poll on the helper's pidfd and the
// interrupt descriptor, so a signal can never slip in before a blocking wait.
// Returns the interrupting signal, or 0.
int WaitForHelper(pid_t helper, int* status) {
  int pidfd = InterruptsHandled() ? static_cast<int>(::syscall(SYS_pidfd_open, helper, 0)) : -1;
  int interrupted = 0;
  while (pidfd >= 0) {
    pollfd fds[2] = {{pidfd, POLLIN, 0}, {interrupted ? -1 : InterruptWakeFd(), POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0 && errno != EINTR) break;
    if (fds[0].revents & POLLIN) break;
    if (int sig = PendingInterrupt(); sig != 0 && !interrupted) {
      interrupted = sig;
      (void)::kill(helper, SIGTERM);
    }
  }
  if (pidfd >= 0) ::close(pidfd);
  while (::waitpid(helper, status, 0) < 0 && errno == EINTR) {
    if (int sig = PendingInterrupt(); sig != 0 && !interrupted) {  // no pidfd (Linux < 5.3)
      interrupted = sig;
      (void)::kill(helper, SIGTERM);
    }
  }
  return interrupted;
}

}  // namespace

int RunInJail(const KeeperState& keeper, const EnterRequest& request) {
  // The namespaces are joined in a helper child: ljail itself stays in the
  // host's (a process that joined a PID namespace cannot be examined from
  // its own children, which breaks tools such as LeakSanitizer).
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) ThrowSystem("pipe", keeper.name, errno);
  const pid_t ljail = ::getpid();
  pid_t helper = ::fork();
  if (helper < 0) ThrowSystem("fork", keeper.name, errno);
  if (helper == 0) {
    ::close(report[0]);
    // ljail killed (even by SIGKILL) stops the command as a SIGTERM would.
    (void)::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != ljail) ::_exit(128 + SIGTERM);
    try {
      ::_exit(JoinAndRun(keeper, request, report[1]));
    } catch (const std::exception& e) {
      ReportError(report[1], e);  // before the fork that closed it
      ::_exit(1);
    }
  }
  ::close(report[1]);
  // ^C reaches the helper as well (same process group), which passes it on
  // to the command: outside a step, ljail itself only waits for them.
  struct sigaction ignore {
  }, old_int{}, old_quit{};
  ignore.sa_handler = SIG_IGN;
  const bool steps = InterruptsHandled();
  if (!steps) {
    ::sigaction(SIGINT, &ignore, &old_int);
    ::sigaction(SIGQUIT, &ignore, &old_quit);
  }
  int status = 0;
  std::optional<Error> failure;
  try {
    ReadOutcome(report[0], "the command", true);
  } catch (const Error& e) {
    failure = e;
  }
  ::close(report[0]);
  const int interrupted = WaitForHelper(helper, &status);
  if (!steps) {
    ::sigaction(SIGINT, &old_int, nullptr);
    ::sigaction(SIGQUIT, &old_quit, nullptr);
  }
  if (interrupted) {
    ThrowInterrupted(interrupted, fmt::format("the command in {} was stopped", keeper.name));
  }
  if (failure) {
    // A program that cannot be run gets the shell's statuses, 127 and 126.
    if (std::string_view(failure->what()).starts_with("exec ")) {
      (void)std::fprintf(stderr, "ljail: %s: %s\n", keeper.name.c_str(), failure->what());
      return failure->sys_errno() == ENOENT ? 127 : 126;
    }
    throw *failure;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace ljail::host::linux_ns
