#include "host/process.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "core/error.h"
#include "host/interrupt.h"

extern char** environ;

namespace ljail::host {
namespace {

class Pipe {
 public:
  Pipe() {
    if (::pipe2(fds_, O_CLOEXEC) != 0) ThrowSystem("create", "pipe", errno);
  }
  ~Pipe() {
    CloseRead();
    CloseWrite();
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  int read_end() const { return fds_[0]; }
  int write_end() const { return fds_[1]; }
  void CloseRead() { Close(&fds_[0]); }
  void CloseWrite() { Close(&fds_[1]); }

 private:
  static void Close(int* fd) {
    if (*fd >= 0) ::close(*fd);
    *fd = -1;
  }
  int fds_[2] = {-1, -1};
};

std::vector<std::string> Environment(const Command& command) {
  std::map<std::string, std::string> vars;
  for (char** e = environ; e && *e; ++e) {
    std::string entry(*e);
    size_t eq = entry.find('=');
    if (eq != std::string::npos) vars[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  for (const auto& [name, value] : command.env) vars[name] = value;
  std::vector<std::string> out;
  out.reserve(vars.size());
  for (const auto& [name, value] : vars) out.push_back(name + "=" + value);
  return out;
}

// Marks every descriptor from `first` on close-on-exec (the exec report
// pipe already is).
void CloseOnExecFrom(int first) {
#ifdef CLOSE_RANGE_CLOEXEC
  if (::close_range(static_cast<unsigned>(first), ~0U, CLOSE_RANGE_CLOEXEC) == 0) return;
#endif
  long max = ::sysconf(_SC_OPEN_MAX);
  for (int fd = first; fd < (max > 0 && max < 65536 ? max : 65536); ++fd) {
    int flags = ::fcntl(fd, F_GETFD);
    if (flags >= 0) (void)::fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
  }
}

// In the child: set up fds, exec, or report errno on `report` and exit.
[[noreturn]] void ExecChild(const Command& command, const std::vector<std::string>& env,
                            int stdin_fd, int stdout_fd, int stderr_fd, int report,
                            bool own_group) {
  // A step's process group: what an interruption stops, and only that
  // (set in the parent too, so that neither order of the two races).
  if (own_group) (void)::setpgid(0, 0);
  if (stdin_fd >= 0) ::dup2(stdin_fd, 0);
  if (stdout_fd >= 0) ::dup2(stdout_fd, 1);
  if (stderr_fd >= 0) ::dup2(stderr_fd, 2);
  // The program gets stdin, stdout and stderr only: a descriptor inherited
  // from whoever ran ljail must not reach it (mmdebstrap hands apt a pipe by
  // number, and dash cannot redirect a descriptor above 9).
  CloseOnExecFrom(3);
  // Default signal dispositions for the new program.
  (void)::signal(SIGPIPE, SIG_DFL);
  if (!command.cwd.empty() && ::chdir(command.cwd.c_str()) != 0) {
    int err = errno;
    (void)::write(report, &err, sizeof err);
    ::_exit(127);
  }
  std::vector<char*> argv;
  argv.reserve(command.argv.size() + 1);
  for (const std::string& a : command.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  envp.reserve(env.size() + 1);
  for (const std::string& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  (void)::execvpe(argv[0], argv.data(), envp.data());
  int err = errno;
  (void)::write(report, &err, sizeof err);
  ::_exit(127);
}

// Reads the exec report: 0 when exec succeeded (the pipe closed empty).
int ReadExecReport(Pipe& report) {
  report.CloseWrite();
  int err = 0;
  ssize_t n;
  do {
    n = ::read(report.read_end(), &err, sizeof err);
  } while (n < 0 && errno == EINTR);
  return n == sizeof err ? err : 0;
}

// How long a stopped command gets between SIGTERM and SIGKILL.
constexpr std::chrono::milliseconds kGrace{2000};

void Signal(pid_t pid, int sig, bool group) { (void)::kill(group ? -pid : pid, sig); }

int WaitFor(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) ThrowSystem("wait for", std::to_string(pid), errno);
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void CheckArgv(const Command& command) {
  if (command.argv.empty() || command.argv[0].empty()) ThrowFailure("run: empty command");
}

// What poll(2) said was readable, appended to `sink` up to the capture
// limit (the rest is read and dropped, so the child is never blocked).
void Drain(const pollfd& p, Pipe& pipe, std::string* sink) {
  if (p.fd < 0 || !(p.revents & (POLLIN | POLLHUP | POLLERR))) return;
  char buffer[65536];
  ssize_t got = ::read(p.fd, buffer, sizeof buffer);
  if (got > 0) {
    if (sink->size() <= kCapturedOutputLimit) sink->append(buffer, static_cast<size_t>(got));
  } else if (got == 0 || errno != EINTR) {
    pipe.CloseRead();
  }
}

// poll(2)'s timeout for a moment still to come: at least 0, rounded up.
int MillisecondsUntil(std::chrono::steady_clock::time_point until,
                      std::chrono::steady_clock::time_point now) {
  return static_cast<int>(std::max<int64_t>(
      0, std::chrono::duration_cast<std::chrono::milliseconds>(until - now).count() + 1));
}

}  // namespace

ProcessResult RunCaptured(const Command& command) {
  CheckArgv(command);
  CheckInterrupt("before " + command.argv[0]);
  std::vector<std::string> env = Environment(command);
  Pipe out, err, report;
  Pipe in;
  int null_fd = -1;
  if (!command.input) {
    null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null_fd < 0) ThrowSystem("open", "/dev/null", errno);
  }
  const bool group = InterruptsHandled();
  pid_t pid = ::fork();
  if (pid < 0) ThrowSystem("fork for", command.argv[0], errno);
  if (pid == 0) {
    ExecChild(command, env, command.input ? in.read_end() : null_fd, out.write_end(),
              err.write_end(), report.write_end(), group);
  }
  if (group) (void)::setpgid(pid, pid);
  if (null_fd >= 0) ::close(null_fd);
  out.CloseWrite();
  err.CloseWrite();
  in.CloseRead();
  if (int exec_errno = ReadExecReport(report); exec_errno != 0) {
    WaitFor(pid);
    ThrowSystem("run", command.argv[0], exec_errno);
  }

  ProcessResult result;
  std::string_view pending = command.input ? std::string_view(*command.input) : "";
  if (pending.empty()) in.CloseWrite();
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + command.timeout;
  // Stopping (timed out or interrupted): SIGTERM, then SIGKILL at kill_at.
  std::optional<Clock::time_point> kill_at;
  int interrupted = 0;
  bool flooded = false;
  for (;;) {
    if (out.read_end() < 0 && err.read_end() < 0) break;
    const auto now = Clock::now();
    if (!kill_at) {
      interrupted = PendingInterrupt();
      result.timed_out = !interrupted && command.timeout.count() > 0 && now >= deadline;
      flooded =
          result.out.size() > kCapturedOutputLimit || result.err.size() > kCapturedOutputLimit;
      if (interrupted || result.timed_out || flooded) {
        Signal(pid, SIGTERM, group);
        kill_at = now + kGrace;
      }
    } else if (now >= *kill_at) {
      Signal(pid, SIGKILL, group);
      break;
    }
    int wait_ms = kill_at || command.timeout.count() > 0
                      ? MillisecondsUntil(kill_at.value_or(deadline), now)
                      : -1;
    pollfd fds[4] = {{out.read_end(), POLLIN, 0},
                     {err.read_end(), POLLIN, 0},
                     {in.write_end(), POLLOUT, 0},
                     {kill_at ? -1 : InterruptWakeFd(), POLLIN, 0}};
    int n = ::poll(fds, 4, wait_ms);
    if (n < 0) {
      if (errno == EINTR) continue;
      ThrowSystem("poll output of", command.argv[0], errno);
    }
    Drain(fds[0], out, &result.out);
    Drain(fds[1], err, &result.err);
    if (fds[2].fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t wrote = ::write(in.write_end(), pending.data(), pending.size());
      if (wrote > 0) pending.remove_prefix(static_cast<size_t>(wrote));
      if (wrote < 0 || pending.empty()) in.CloseWrite();
    }
  }
  result.exit_code = WaitFor(pid);
  if (interrupted) ThrowInterrupted(interrupted, ShellQuote(command.argv) + " was stopped");
  if (flooded) {
    ThrowFailure(fmt::format("{}: more than {} MiB of output (stopped there)",
                             ShellQuote(command.argv), kCapturedOutputLimit >> 20));
  }
  return result;
}

int RunInteractive(const Command& command) {
  CheckArgv(command);
  CheckInterrupt("before " + command.argv[0]);
  std::vector<std::string> env = Environment(command);
  Pipe report;
  pid_t pid = ::fork();
  if (pid < 0) ThrowSystem("fork for", command.argv[0], errno);
  // In ljail's process group: it writes to ljail's terminal, and Ctrl-C
  // reaches it from there; a SIGTERM for ljail is passed on below.
  if (pid == 0) ExecChild(command, env, -1, -1, -1, report.write_end(), false);
  if (int exec_errno = ReadExecReport(report); exec_errno != 0) {
    WaitFor(pid);
    ThrowSystem("run", command.argv[0], exec_errno);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) ThrowSystem("wait for", command.argv[0], errno);
    if (int sig = PendingInterrupt(); sig != 0) {
      Signal(pid, SIGTERM, false);
      auto kill_at = std::chrono::steady_clock::now() + kGrace;
      while (::waitpid(pid, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() >= kill_at) Signal(pid, SIGKILL, false);
        (void)::poll(nullptr, 0, 50);
      }
      ThrowInterrupted(sig, ShellQuote(command.argv) + " was stopped");
    }
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string ShellQuoteWord(const std::string& word) {
  if (word.empty()) return "''";
  bool safe = true;
  for (char c : word) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              std::strchr("@%+=:,./-_", c) != nullptr;
    if (!ok || c == '\0') safe = false;
  }
  if (safe) return word;
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string ShellQuote(const std::vector<std::string>& argv) {
  std::string out;
  for (const std::string& word : argv) {
    if (!out.empty()) out += ' ';
    out += ShellQuoteWord(word);
  }
  return out;
}

}  // namespace ljail::host
