// Runs the real ljail binary, as a user would, and captures what it says.
#pragma once

#include <sys/types.h>

#include <cstdio>
#include <string>
#include <vector>

namespace ljail::testing {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// A program started and not yet waited for (stdin /dev/null, output in
/// temporary files): for tests that signal a command while it works.
class StartedProgram {
 public:
  StartedProgram(const std::string& program, const std::vector<std::string>& args);
  ~StartedProgram();
  StartedProgram(const StartedProgram&) = delete;
  StartedProgram& operator=(const StartedProgram&) = delete;

  pid_t pid() const { return pid_; }
  /// True until it has ended (it is not reaped: Wait() still reports it).
  bool Running() const;
  /// What it printed on stdout so far.
  std::string OutSoFar() const;
  /// Waits for its end (once).
  RunResult Wait();

 private:
  pid_t pid_ = -1;
  FILE* out_ = nullptr;
  FILE* err_ = nullptr;
};

/// Runs `program` with `args` (argv, no shell), stdin from /dev/null.
RunResult RunProgram(const std::string& program, const std::vector<std::string>& args);

/// Runs the ljail binary built next to the tests.
RunResult RunLjail(const std::vector<std::string>& args);

}  // namespace ljail::testing
