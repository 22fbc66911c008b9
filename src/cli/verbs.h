// The verb table: one row per verb group, each defined in its own file.
// The table drives registration, --help and "did you mean" for typos.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <span>
#include <string_view>

#include "cli/context.h"

namespace ljail::cli {

/// What a parsed command line runs; returns the exit code.
using Action = std::function<int(Context&)>;

struct VerbGroup {
  std::string_view name;
  std::string_view summary;
  /// Adds the group's subcommand(s) to `app`; a matched one stores its
  /// handler in `*action`.
  void (*add)(CLI::App& app, Action* action);
};

std::span<const VerbGroup> Verbs();

// One per verb file.
void AddConfVerbs(CLI::App& app, Action* action);
void AddHostVerbs(CLI::App& app, Action* action);
void AddReleaseVerbs(CLI::App& app, Action* action);

}  // namespace ljail::cli
