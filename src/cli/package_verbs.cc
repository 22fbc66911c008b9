// ljail pkg NAME install|remove|upgrade [PKG...]: apt inside the jail's
// Linux tree (jail/tree_changes.h).
#include <fmt/format.h>

#include "cli/tree_target.h"
#include "cli/verbs.h"
#include "core/error.h"
#include "jail/create_common.h"

namespace ljail::cli {

void AddPkgVerb(Command app, Action* action) {
  struct PkgArgs {
    std::string jail, verb;
    std::vector<std::string> packages;
  };
  auto a = std::make_shared<PkgArgs>();
  Command pkg =
      app.AddSubcommand("pkg", "apt inside the jail: pkg NAME install|remove|upgrade [PKG...]");
  pkg.AddOption("name", a->jail, "Jail name").Required();
  pkg.AddOption("verb", a->verb, "install, remove or upgrade")
      .Required()
      .OneOf({"install", "remove", "upgrade"});
  pkg.AddOption("packages", a->packages, "Packages (upgrade: all when none)");
  pkg.Callback([=] {
    *action = [=](Context& c) {
      for (const std::string& p : a->packages) jail::ValidatePackageName(p);
      if (a->verb != "upgrade" && a->packages.empty())
        ThrowUsage(fmt::format("pkg {}: name the packages", a->verb));
      Target t = OpenTarget(c, a->jail);
      return ApplyTreeChange(c, t, jail::PackageChange(t.At(), a->verb, a->packages));
    };
  });
}

}  // namespace ljail::cli
