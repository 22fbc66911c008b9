// ljail host check | init: the Linux ABI, jails at boot, settings, storage.
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/verbs.h"
#include "core/error.h"
#include "host/freebsd/host_setup.h"

namespace ljail::cli {
namespace {

using nlohmann::ordered_json;

host::freebsd::HostSetup Setup(const host::Host& host,
                               const host::freebsd::HostSetupOptions& options) {
  if (host.os() != host::HostOs::kFreeBSD) {
    ThrowFailure(
        "host check/init prepare a FreeBSD host; this is Linux (its runtime needs no "
        "preparation yet). To drive a FreeBSD host image, set LJAIL_HOST_OS=freebsd.");
  }
  return host::freebsd::MakeHostSetup(host, options);
}

int Check(Context& context, bool json) {
  host::Host host = context.MakeHost();
  host::freebsd::HostSetup setup = Setup(host, {});
  const host::Plan& plan = setup.plan;
  if (json) {
    const auto& f = setup.facts;
    ordered_json out = {{"host",
                         {{"os", "freebsd"},
                          {"release", f.release.full},
                          {"arch", f.arch},
                          {"zfs_pools", f.pools}}},
                        {"settings",
                         {{"file", kSettingsPath},
                          {"found", f.settings_found},
                          {"zfs_root", f.settings.zfs_root},
                          {"jails_dir", f.settings.jails_dir}}},
                        {"ready", plan.Pending() == 0},
                        {"checks", ordered_json::array()}};
    for (const host::Step& step : plan.steps) {
      ordered_json fix = ordered_json::array();
      for (const host::Action& a : step.actions) fix.push_back(a.description);
      out["checks"].push_back(
          {{"check", step.title}, {"ok", step.done}, {"detail", step.detail}, {"fix", fix}});
    }
    *context.out << out.dump(2) << "\n";
  } else {
    *context.out << plan.title << "\n";
    for (const host::Step& step : plan.steps) {
      *context.out << (step.done ? "  ok    " : "  todo  ") << step.title
                   << (step.detail.empty() ? "" : " (" + step.detail + ")") << "\n";
    }
    size_t pending = plan.Pending();
    *context.out << (pending == 0 ? "the host is ready for Linux jails\n"
                                  : fmt::format("{} of {} to do: run `ljail host init` (or add "
                                                "--dry-run to see the commands)\n",
                                                pending, plan.steps.size()));
  }
  return static_cast<int>(plan.Pending() == 0 ? ExitCode::kOk : ExitCode::kFailed);
}

int Init(Context& context, const host::freebsd::HostSetupOptions& options) {
  host::Host host = context.MakeHost();
  return context.Apply(Setup(host, options).plan, host);
}

}  // namespace

void AddHostVerbs(CLI::App& app, Action* action) {
  CLI::App* group = app.add_subcommand("host", "Check and prepare the host for Linux jails");
  group->require_subcommand(1);

  auto json = std::make_shared<bool>(false);
  CLI::App* check = group->add_subcommand(
      "check", "Report what the host lacks for Linux jails (exit 0 when ready, 1 otherwise)");
  check->add_flag("--json", *json, "Print the checks as JSON");
  check->callback([=] { *action = [=](Context& c) { return Check(c, *json); }; });

  struct InitArgs {
    std::string zfs_root, jails_dir, release;
  };
  auto args = std::make_shared<InitArgs>();
  CLI::App* init = group->add_subcommand(
      "init", "Do what host check reports missing; a second run changes nothing");
  init->add_option("--zfs-root", args->zfs_root,
                   "ZFS dataset for jails (default: zroot/jails), or \"none\" for directories")
      ->type_name("DATASET");
  init->add_option("--jails-dir", args->jails_dir, "Where jails live (default: /usr/local/jails)")
      ->type_name("DIR");
  init->add_option("--release", args->release, "Default FreeBSD release for new jails")
      ->type_name("REL");
  init->callback([=] {
    *action = [=](Context& c) {
      host::freebsd::HostSetupOptions options;
      if (!args->zfs_root.empty()) options.zfs_root = args->zfs_root;
      if (!args->jails_dir.empty()) options.jails_dir = args->jails_dir;
      if (!args->release.empty()) options.release = args->release;
      return Init(c, options);
    };
  });
}

}  // namespace ljail::cli
