// The verb table: one row per verb group, each defined in its own file.
// The table drives registration, --help and "did you mean" for typos.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "cli/context.h"
#include "jail/discovery.h"

namespace ljail::cli {

/// What a parsed command line runs; returns the exit code.
using Action = std::function<int(Context&)>;

struct VerbGroup {
  /// The top-level words it adds (for "did you mean").
  std::vector<std::string_view> names;
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
void AddTemplateVerbs(CLI::App& app, Action* action);
void AddCreateVerb(CLI::App& app, Action* action);
void AddDestroyVerb(CLI::App& app, Action* action);
/// start, stop, restart, list, info, shell, exec.
void AddRunVerbs(CLI::App& app, Action* action);
/// The inside of a jail's Linux tree: user, pkg, service.
void AddUserVerbs(CLI::App& app, Action* action);
void AddPkgVerb(CLI::App& app, Action* action);
void AddServiceVerb(CLI::App& app, Action* action);
void AddDoctorVerb(CLI::App& app, Action* action);
void AddSetVerb(CLI::App& app, Action* action);
/// completion bash|zsh (and `names`, what the scripts ask).
void AddCompletionVerb(CLI::App& app, Action* action);

/// The jail of that name, or a usage error.
jail::JailRecord RequireJail(const host::Host& host, const std::string& name);

}  // namespace ljail::cli
