#include "cli/verbs.h"

#include <array>

namespace ljail::cli {

namespace {

const std::vector<VerbGroup>& VerbTable() {
  static const std::vector<VerbGroup> verbs = {
      VerbGroup{{"conf"}, "read, check and show jail.conf(5) files as jail(8) does", AddConfVerbs},
      VerbGroup{{"host"}, "check and prepare the host for Linux jails", AddHostVerbs},
      VerbGroup{{"release"}, "FreeBSD release templates: fetch and list", AddReleaseVerbs},
      VerbGroup{{"template"}, "Linux userland templates", AddTemplateVerbs},
      VerbGroup{{"create"}, "create a Linux jail", AddCreateVerb},
      VerbGroup{{"destroy"}, "delete a jail", AddDestroyVerb},
      VerbGroup{{"start", "stop", "restart", "list", "info", "shell", "exec"},
                "run and enter jails",
                AddRunVerbs},
      VerbGroup{{"user"}, "accounts of a jail's Linux tree", AddUserVerbs},
      VerbGroup{{"pkg"}, "packages of a jail's Linux tree, with its apt", AddPkgVerb},
      VerbGroup{{"service"}, "Linux services started with a jail", AddServiceVerb},
      VerbGroup{{"set"}, "change an existing jail's settings", AddSetVerb},
      VerbGroup{{"doctor"}, "diagnose the host, a jail and its network", AddDoctorVerb},
      VerbGroup{{"completion"}, "shell completion for bash and zsh", AddCompletionVerb},
  };
  return verbs;
}

}  // namespace

std::span<const VerbGroup> Verbs() { return VerbTable(); }

}  // namespace ljail::cli
