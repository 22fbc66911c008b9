// What every verb gets: the global options, and where to write.
#pragma once

#include <chrono>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "core/root_fs.h"
#include "host/host.h"
#include "host/lock.h"
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
  /// The arguments as given (without argv[0]): what `create` records as the
  /// command that finishes a jail it could not finish.
  std::vector<std::string> command_line;
};

struct Context {
  GlobalOptions options;
  std::ostream* out;
  std::ostream* err;

  RootFs Root() const { return RootFs(options.root); }
  /// The host, with --verbose tracing on stderr.
  host::Host MakeHost() const;
  /// The lock of jail `name` for this command: waited for briefly, then an
  /// error naming its holder. None under --dry-run, which changes nothing.
  std::optional<host::HostLock> LockJail(const host::Host& host, const std::string& name) const;
  /// The lock of what jails share (templates, releases, bridges, epairs,
  /// devfs rules): waited for as long as the holder takes (up to an hour),
  /// saying whom it waits for. Taken after a jail's lock, never before.
  std::optional<host::HostLock> LockHost(const host::Host& host) const;
  /// Prints the plan (--dry-run) or runs it; returns the exit code.
  int Apply(const host::Plan& plan, const host::Host& host) const;
};

}  // namespace ljail::cli
