// The one way ljail runs another program (DESIGN.md, principle 3): argv
// vectors, never a shell string; output captured; a timeout; the child's exec
// failure reported back to the parent whole (code-style-anchors §6.12).
#pragma once

#include <chrono>
#include <cstddef>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ljail::host {

struct Command {
  Command() = default;
  // Implicit on purpose: a command is its argv plus optional settings.
  Command(std::initializer_list<std::string> args) : argv(args) {}   // NOLINT
  Command(std::vector<std::string> args) : argv(std::move(args)) {}  // NOLINT

  Command& Env(const std::string& name, const std::string& value) {
    env[name] = value;
    return *this;
  }
  Command& Input(std::string bytes) {
    input = std::move(bytes);
    return *this;
  }
  Command& Timeout(std::chrono::milliseconds limit) {
    timeout = limit;
    return *this;
  }
  Command& Cwd(std::string dir) {
    cwd = std::move(dir);
    return *this;
  }

  std::vector<std::string> argv;
  /// Variables to set (or override) on top of the inherited environment.
  std::map<std::string, std::string> env;
  /// Bytes for the child's stdin; without it stdin is /dev/null.
  std::optional<std::string> input;
  /// Working directory; empty = ljail's own.
  std::string cwd;
  /// Killed (TERM, then KILL after 2 s) when it runs longer. 0 = no limit.
  std::chrono::milliseconds timeout{0};
};

/// The most a captured command may print on stdout or on stderr: past it,
/// the command is stopped and the run fails (a jail's tree can make `cat
/// /etc/passwd` endless). Far above what apt or zfs print.
inline constexpr size_t kCapturedOutputLimit = size_t{64} << 20;

struct ProcessResult {
  int exit_code = -1;  ///< WEXITSTATUS, or 128+signal when killed by a signal
  std::string out;
  std::string err;
  bool timed_out = false;

  bool ok() const { return exit_code == 0 && !timed_out; }
};

/// Runs `command` and waits for it, capturing stdout and stderr. Throws
/// ljail::Error when the program cannot be started at all (not found, not
/// executable), with the program name and the errno of execvp(), and when it
/// prints more than kCapturedOutputLimit.
ProcessResult RunCaptured(const Command& command);

/// Runs `command` with ljail's own stdin, stdout and stderr (a progress meter,
/// an interactive shell) and returns its exit code.
int RunInteractive(const Command& command);

/// argv as a reader would type it in sh(1): words quoted only when needed.
std::string ShellQuote(const std::vector<std::string>& argv);

/// One word quoted for sh(1).
std::string ShellQuoteWord(const std::string& word);

}  // namespace ljail::host
