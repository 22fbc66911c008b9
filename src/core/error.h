// The error contract of ljail (see docs/error-handling.md).
//
// Fallible operations throw ljail::Error. The message reads
// "<action> <object>: <cause>" and each layer may prepend one clause of
// context on the way up (Error::WithContext). Only main() prints, and it maps
// the kind to the exit code once: 0 ok, 1 operation failed, 2 bad input.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace ljail {

/// Process exit codes (DESIGN.md, principle 5).
/// kInterrupted: SIGINT, SIGTERM or SIGHUP stopped a change (host/interrupt.h);
/// 128 + SIGINT, as a shell reports a command that Ctrl-C stopped.
enum class ExitCode : int { kOk = 0, kFailed = 1, kUsage = 2, kInterrupted = 130 };

class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& message, int sys_errno = 0)
      : std::runtime_error(message), code_(code), sys_errno_(sys_errno) {}

  /// kUsage for bad input rejected before anything changed, kFailed otherwise.
  ExitCode code() const { return code_; }
  /// The errno that caused the failure, or 0.
  int sys_errno() const { return sys_errno_; }

  /// The same error with "context: " in front of its message.
  Error WithContext(std::string_view context) const;

 private:
  ExitCode code_;
  int sys_errno_;
};

/// Bad input (exit 2): nothing has been changed yet.
[[noreturn]] void ThrowUsage(const std::string& message);
/// An operation failed (exit 1).
[[noreturn]] void ThrowFailure(const std::string& message);
/// A system call failed: "<action> \"<path>\": <strerror(err)>" (exit 1).
[[noreturn]] void ThrowSystem(std::string_view action, std::string_view path, int err);

/// strerror(3) without the thread-safety trap.
std::string ErrnoText(int err);

}  // namespace ljail
