// Runs the real ljail binary, as a user would, and captures what it says.
#pragma once

#include <string>
#include <vector>

namespace ljail::testing {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Runs `program` with `args` (argv, no shell), stdin from /dev/null.
RunResult RunProgram(const std::string& program, const std::vector<std::string>& args);

/// Runs the ljail binary built next to the tests.
RunResult RunLjail(const std::vector<std::string>& args);

}  // namespace ljail::testing
