// ljail-keeper: what a running Linux-host jail costs while nothing runs in
// it. ljail's keeper (runtime/linux/keeper.cc) sets the jail up as its PID 1 and
// then executes this program, which holds the namespaces, reaps orphans and
// ends the jail on SIGTERM, and nothing else: a static program of a few
// pages instead of a copy of ljail (DESIGN.md, "The Linux path").
//
//   ljail-keeper STOP_TIMEOUT      (fd 3: ljail's start report pipe)
//
// It depends on nothing but libc, and starts with every signal blocked
// (the mask survives execve): signals are taken with sigwaitinfo, since a
// namespace's init drops those it has no handler for.
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>

namespace {

constexpr int kReportFd = 3;

void Reap() {
  while (::waitpid(-1, nullptr, WNOHANG) > 0) {
  }
}

double Now() {
  timespec t{};
  ::clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

// Everything else in the namespace: SIGTERM, the grace period, SIGKILL.
// kill(-1) from a namespace's init reaches every process of the namespace
// but itself, also those `ljail exec` put there (their parent is outside);
// ESRCH says none is left. A zombie whose parent is outside still counts,
// so after SIGKILL the keeper waits a little and ends anyway: the kernel
// kills what remains when a namespace's init exits.
[[noreturn]] void Shutdown(int stop_timeout) {
  ::kill(-1, SIGTERM);
  double kill_at = Now() + stop_timeout, give_up = kill_at + 2;
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  bool killed = false;
  for (;;) {
    Reap();
    if (::kill(-1, 0) != 0 && errno == ESRCH) break;
    double now = Now();
    if (!killed && now >= kill_at) {
      killed = true;
      give_up = now + 2;
      ::kill(-1, SIGKILL);
    }
    if (killed && now >= give_up) break;
    timespec tick = {0, 50'000'000};
    ::sigtimedwait(&chld, nullptr, &tick);
  }
  ::_exit(0);
}

// The start report in ljail's format (runtime/linux/child.cc): "ok", or
// "E1:ERRNO:message" (ljail adds the errno's text). No stdio: it would be
// most of this program's pages.
void Report(const char* text) {
  ssize_t n = ::write(kReportFd, text, std::strlen(text));
  (void)n;
}

void ReportErrno(int err, const char* what) {
  char text[96] = "E1:";
  char digits[12];
  int len = 0;
  do {
    digits[len++] = static_cast<char>('0' + err % 10);
    err /= 10;
  } while (err > 0 && len < 11);
  size_t at = 3;
  while (len > 0) text[at++] = digits[--len];
  text[at++] = ':';
  std::strncpy(text + at, what, sizeof text - at - 1);
  Report(text);
}

// STOP_TIMEOUT: seconds, digits only; -1 for anything else.
long Seconds(const char* text) {
  long n = 0;
  if (!text || !*text) return -1;
  for (; *text; ++text) {
    if (*text < '0' || *text > '9' || n > 1'000'000) return -1;
    n = n * 10 + (*text - '0');
  }
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  long stop_timeout = argc == 2 ? Seconds(argv[1]) : -1;
  if (stop_timeout < 0) {
    Report("E1:0:ljail-keeper: expected STOP_TIMEOUT (it is started by ljail, not by hand)");
    return 2;
  }
  // execve made the keeper dumpable again: closed once more before ljail
  // learns the jail is up, so no jail process ever finds it open.
  if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0 ||
      ::prctl(PR_SET_NAME, "ljail-keeper", 0, 0, 0) != 0) {
    ReportErrno(errno, "prctl the keeper");
    return 1;
  }
  Report("ok");
  ::close(kReportFd);

  sigset_t wanted;
  sigemptyset(&wanted);
  const int kWanted[] = {SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGQUIT};
  for (int sig : kWanted) sigaddset(&wanted, sig);
  for (;;) {
    int sig = ::sigwaitinfo(&wanted, nullptr);
    if (sig == SIGCHLD) {
      Reap();
    } else if (sig > 0) {
      Shutdown(static_cast<int>(stop_timeout));
    }
  }
}
