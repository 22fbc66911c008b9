// The verb table: one row per verb group, each defined in its own file.
// The table drives registration, --help and "did you mean" for typos.
#pragma once

#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "cli/command.h"
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
  void (*add)(Command app, Action* action);
};

std::span<const VerbGroup> Verbs();

// One per verb file.
void AddConfVerbs(Command app, Action* action);
void AddHostVerbs(Command app, Action* action);
void AddReleaseVerbs(Command app, Action* action);
void AddTemplateVerbs(Command app, Action* action);
void AddCreateVerb(Command app, Action* action);
void AddDestroyVerb(Command app, Action* action);
/// start, stop, restart, list, info, shell, exec.
void AddRunVerbs(Command app, Action* action);
/// The inside of a jail's Linux tree: user, pkg, service.
void AddUserVerbs(Command app, Action* action);
void AddPkgVerb(Command app, Action* action);
void AddServiceVerb(Command app, Action* action);
void AddDoctorVerb(Command app, Action* action);
void AddSetVerb(Command app, Action* action);
/// completion bash|zsh (and `names`, what the scripts ask).
void AddCompletionVerb(Command app, Action* action);

/// The jail of that name, or a usage error.
jail::JailRecord RequireJail(const host::Host& host, const std::string& name);

}  // namespace ljail::cli
