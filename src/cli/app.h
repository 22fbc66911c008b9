// Command-line entry point: parses argv with CLI11, runs the chosen verb,
// prints errors once ("ljail: ...") and maps them to exit codes.
#pragma once

#include <iosfwd>

namespace ljail::cli {

int Run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace ljail::cli
