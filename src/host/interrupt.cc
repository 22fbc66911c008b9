#include "host/interrupt.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

#include "core/error.h"

namespace ljail::host {
namespace {

constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};

volatile std::sig_atomic_t g_pending = 0;
int g_wake[2] = {-1, -1};
int g_depth = 0;
pid_t g_owner = 0;  // ljail; a child between fork and exec takes the default
struct sigaction g_old[3];

void OnSignal(int sig) {
  if (::getpid() != g_owner || g_pending != 0) {
    // Not ljail's (a child that has not run its program yet), or the
    // second one: the default action (death by that signal), now.
    (void)::signal(sig, SIG_DFL);
    (void)::raise(sig);
    return;
  }
  g_pending = sig;
  int saved = errno;
  char byte = 1;
  (void)::write(g_wake[1], &byte, 1);
  errno = saved;
}

void Drain() {
  char buffer[16];
  while (::read(g_wake[0], buffer, sizeof buffer) > 0) {
  }
}

}  // namespace

InterruptScope::InterruptScope() {
  if (g_depth++ > 0) return;
  if (::pipe2(g_wake, O_CLOEXEC | O_NONBLOCK) != 0) {
    g_depth = 0;
    ThrowSystem("create", "the interrupt pipe", errno);
  }
  g_pending = 0;
  g_owner = ::getpid();
  struct sigaction on {};
  on.sa_handler = OnSignal;
  sigemptyset(&on.sa_mask);
  on.sa_flags = 0;  // no SA_RESTART: a blocking wait returns EINTR and looks
  for (size_t i = 0; i < std::size(kSignals); ++i) ::sigaction(kSignals[i], &on, &g_old[i]);
}

InterruptScope::~InterruptScope() {
  if (--g_depth > 0) return;
  for (size_t i = 0; i < std::size(kSignals); ++i) ::sigaction(kSignals[i], &g_old[i], nullptr);
  ::close(g_wake[0]);
  ::close(g_wake[1]);
  g_wake[0] = g_wake[1] = -1;
  g_pending = 0;
}

bool InterruptsHandled() { return g_depth > 0; }

int PendingInterrupt() { return g_pending; }

int InterruptWakeFd() { return g_depth > 0 ? g_wake[0] : -1; }

void ThrowInterrupted(int signal, const std::string& what) {
  if (g_depth > 0) Drain();
  g_pending = 0;
  const char* name = signal == SIGINT    ? "SIGINT"
                     : signal == SIGTERM ? "SIGTERM"
                     : signal == SIGHUP  ? "SIGHUP"
                                         : "a signal";
  throw Error(ExitCode::kInterrupted, fmt::format("interrupted by {}: {}", name, what));
}

void CheckInterrupt(const std::string& what) {
  if (int sig = g_pending; sig != 0) ThrowInterrupted(sig, what);
}

}  // namespace ljail::host
