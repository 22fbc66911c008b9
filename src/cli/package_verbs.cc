// ljail pkg NAME install|remove|upgrade [PKG...]: apt inside the jail's
// Linux tree (jail/tree_changes.h).
#include <fmt/format.h>

#include "cli/tree_target.h"
#include "cli/verbs.h"
#include "core/error.h"
#include "jail/create_common.h"

namespace ljail::cli {

void AddPkgVerb(CLI::App& app, Action* action) {
  struct PkgArgs {
    std::string jail, verb;
    std::vector<std::string> packages;
  };
  auto a = std::make_shared<PkgArgs>();
  CLI::App* pkg =
      app.add_subcommand("pkg", "apt inside the jail: pkg NAME install|remove|upgrade [PKG...]");
  pkg->add_option("name", a->jail, "Jail name")->required();
  pkg->add_option("verb", a->verb, "install, remove or upgrade")
      ->required()
      ->check(CLI::IsMember({"install", "remove", "upgrade"}));
  pkg->add_option("packages", a->packages, "Packages (upgrade: all when none)");
  pkg->callback([=] {
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
