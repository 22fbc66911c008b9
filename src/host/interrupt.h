// Ctrl-C (SIGINT), SIGTERM and SIGHUP while ljail changes a host: not a
// sudden death that leaves a step's processes running on their own, but a
// stop in order. While an InterruptScope lives, the signal is recorded; the
// command ljail is waiting for is stopped (its process group, host/process.cc;
// the command inside a jail, runtime/linux/enter.cc); the verb ends with exit
// 130 after its cleanup (a create stops the jail it started and leaves it
// partial, host/plan.cc). A second signal before the first one is handled
// (while ljail is still stopping the step) kills ljail at once, as a second
// Ctrl-C does in most tools.
#pragma once

#include <string>

namespace ljail::host {

class InterruptScope {
 public:
  InterruptScope();
  ~InterruptScope();
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;
};

/// True while an InterruptScope lives: commands get a process group of
/// their own, so that a signal reaches all of a step and nothing else.
bool InterruptsHandled();

/// The signal received and not yet handled, or 0.
int PendingInterrupt();

/// A descriptor that polls readable once a signal is pending (-1 outside a
/// scope), for loops that wait on children.
int InterruptWakeFd();

/// Throws the interruption (exit 130) and marks it handled: the cleanup
/// that runs while it unwinds (stopping a jail) runs its commands as usual,
/// and only a new signal interrupts it.
[[noreturn]] void ThrowInterrupted(int signal, const std::string& what);

/// Throws the pending interruption, if there is one.
void CheckInterrupt(const std::string& what);

}  // namespace ljail::host
