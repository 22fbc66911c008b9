#include "runtime/linux/pty_relay.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

#include "core/error.h"

namespace ljail::host::linux_ns {
namespace {

// The user's terminal in raw mode for as long as the relay runs: keys such
// as ^C go to the program in the jail, through its own terminal.
class RawTerminal {
 public:
  RawTerminal() {
    if (::tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    struct termios raw = saved_;
    ::cfmakeraw(&raw);
    active_ = ::tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
  }
  ~RawTerminal() {
    if (active_) ::tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
  }
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;

 private:
  struct termios saved_ {};
  bool active_ = false;
};

void CopyWindowSize(int to) {
  struct winsize size {};
  if (::ioctl(STDIN_FILENO, TIOCGWINSZ, &size) == 0) ::ioctl(to, TIOCSWINSZ, &size);
}

// Writes everything, waiting when the other side is slow.
bool WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {
      struct pollfd p = {fd, POLLOUT, 0};
      ::poll(&p, 1, 100);
      continue;
    }
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

// Returns false at the end of the input (EOF or EIO: no slave is open).
bool Pump(int from, int to) {
  char buffer[8192];
  ssize_t n = ::read(from, buffer, sizeof buffer);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
  if (n <= 0) return false;
  return WriteAll(to, buffer, static_cast<size_t>(n));
}

}  // namespace

std::optional<PtyPair> OpenPty(const std::string& ptmx) {
  int master = ::open(ptmx.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0) return std::nullopt;
  int unlock = 0;
  if (::ioctl(master, TIOCSPTLCK, &unlock) != 0) {
    int err = errno;
    ::close(master);
    ThrowSystem("unlock the pseudo-terminal of", ptmx, err);
  }
  // TIOCGPTPEER opens the slave through the master, with no path lookup
  // that another devpts could answer.
  int slave = ::ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave < 0) {
    int err = errno;
    ::close(master);
    ThrowSystem("open the pseudo-terminal peer of", ptmx, err);
  }
  CopyWindowSize(master);
  return PtyPair{master, slave};
}

Terminals StandardTerminals() {
  Terminals t;
  for (int fd = 0; fd < 3; ++fd) t.fd[fd] = ::isatty(fd) == 1;
  return t;
}

void AttachTerminal(int slave, const Terminals& on) {
  ::setsid();
  if (::ioctl(slave, TIOCSCTTY, 0) != 0) ThrowSystem("make the controlling terminal", "pty", errno);
  for (int fd = 0; fd < 3; ++fd) {
    if (on.fd[fd] && ::dup2(slave, fd) < 0) ThrowSystem("dup2", "pty", errno);
  }
}

int RelayUntilExit(int master, pid_t child, const Terminals& on) {
  const int output = on.fd[1] || !on.fd[2] ? STDOUT_FILENO : STDERR_FILENO;
  sigset_t signals, previous;
  sigemptyset(&signals);
  sigaddset(&signals, SIGWINCH);
  sigaddset(&signals, SIGCHLD);
  ::sigprocmask(SIG_BLOCK, &signals, &previous);
  int sigfd = ::signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK);
  ::fcntl(master, F_SETFL, ::fcntl(master, F_GETFL) | O_NONBLOCK);
  int status = 0;
  bool exited = false;
  {
    RawTerminal raw;
    bool input_open = on.fd[0];
    while (!exited) {
      struct pollfd fds[3] = {{master, POLLIN, 0},
                              {sigfd, POLLIN, 0},
                              {STDIN_FILENO, static_cast<short>(input_open ? POLLIN : 0), 0}};
      if (::poll(fds, 3, -1) < 0 && errno != EINTR) break;
      if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
        if (!Pump(master, output)) {
          // EIO: every slave is closed, the child is ending.
          ::waitpid(child, &status, 0);
          exited = true;
        }
      }
      if (fds[2].revents & (POLLIN | POLLHUP)) input_open = Pump(STDIN_FILENO, master);
      if (fds[1].revents & POLLIN) {
        struct signalfd_siginfo info {};
        while (::read(sigfd, &info, sizeof info) == sizeof info) {
          if (info.ssi_signo == SIGWINCH) CopyWindowSize(master);
        }
        if (!exited && ::waitpid(child, &status, WNOHANG) == child) {
          while (Pump(master, output)) {
            struct pollfd p = {master, POLLIN, 0};
            if (::poll(&p, 1, 0) <= 0) break;
          }
          exited = true;
        }
      }
    }
  }
  if (!exited) ::waitpid(child, &status, 0);
  ::close(sigfd);
  ::sigprocmask(SIG_SETMASK, &previous, nullptr);
  return status;
}

}  // namespace ljail::host::linux_ns
