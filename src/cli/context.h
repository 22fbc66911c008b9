// What every verb gets: the global options, and where to write.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "core/root_fs.h"
#include "host/host.h"
#include "host/plan.h"

namespace ljail::cli {

struct GlobalOptions {
  std::string root;      ///< --root: prefix for every host path
  bool dry_run = false;  ///< --dry-run: print the plan, change nothing
  bool verbose = false;  ///< --verbose: print every command ljail runs
  /// Everything after the first "--", untouched (CLI11 would read "[x]" as
  /// its own list syntax): the command of `ljail exec`.
  std::vector<std::string> passthrough;
  bool has_passthrough = false;
};

struct Context {
  GlobalOptions options;
  std::ostream* out;
  std::ostream* err;

  RootFs Root() const { return RootFs(options.root); }
  /// The host, with --verbose tracing on stderr.
  host::Host MakeHost() const;
  /// Prints the plan (--dry-run) or runs it; returns the exit code.
  int Apply(const host::Plan& plan, const host::Host& host) const;
};

}  // namespace ljail::cli
