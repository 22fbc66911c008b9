// ljail host check | init: on FreeBSD the Linux ABI, jails at boot, settings,
// storage; on Linux what the namespace runtime needs.
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/verbs.h"
#include "core/error.h"
#include "host/storage.h"
#include "runtime/runtime.h"

namespace ljail::cli {
namespace {

using nlohmann::ordered_json;

// The host's plan and, for --json, the facts it was made from.
struct HostReport {
  host::Plan plan;
  ordered_json host;
  ordered_json settings;
};

HostReport Report(const host::Host& host, const host::HostSetupOptions& options) {
  host::HostSetup setup = host::MakeRuntime(host)->SetupPlan(options);
  HostReport report{std::move(setup.plan), {{"os", setup.os}}, {}};
  if (!setup.release.empty()) {
    report.host["release"] = setup.release;
    report.host["arch"] = setup.arch;
    report.host["zfs_pools"] = setup.zfs_pools;
  }
  report.settings = {{"file", kSettingsPath},
                     {"found", setup.settings_found},
                     {"zfs_root", setup.settings.zfs_root},
                     {"jails_dir", setup.settings.jails_dir}};
  return report;
}

int Check(Context& context, bool json) {
  host::Host host = context.MakeHost();
  HostReport report = Report(host, {});
  const host::Plan& plan = report.plan;
  if (json) {
    ordered_json out = {{"host", report.host},
                        {"settings", report.settings},
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

int Init(Context& context, const host::HostSetupOptions& options) {
  host::Host host = context.MakeHost();
  Report(host, options);  // bad options refused before the lock
  std::optional<host::HostLock> lock = context.LockHost(host);
  return context.Apply(Report(host, options).plan, host);
}

}  // namespace

void AddHostVerbs(Command app, Action* action) {
  Command group = app.AddSubcommand("host", "Check and prepare the host for Linux jails");
  group.RequireSubcommand(1);

  auto json = std::make_shared<bool>(false);
  Command check = group.AddSubcommand(
      "check", "Report what the host lacks for Linux jails (exit 0 when ready, 1 otherwise)");
  check.AddFlag("--json", *json, "Print the checks as JSON");
  check.Callback([=] { *action = [=](Context& c) { return Check(c, *json); }; });

  struct InitArgs {
    std::string zfs_root, jails_dir, release;
  };
  auto args = std::make_shared<InitArgs>();
  Command init = group.AddSubcommand(
      "init", "Do what host check reports missing; a second run changes nothing");
  init.AddOption("--zfs-root", args->zfs_root,
                 "ZFS dataset for jails (default: zroot/jails), or \"none\" for directories")
      .TypeName("DATASET");
  init.AddOption("--jails-dir", args->jails_dir, "Where jails live (default: /usr/local/jails)")
      .TypeName("DIR");
  init.AddOption("--release", args->release, "Default FreeBSD release for new jails")
      .TypeName("REL");
  init.Callback([=] {
    *action = [=](Context& c) {
      host::HostSetupOptions options;
      if (!args->zfs_root.empty()) options.zfs_root = args->zfs_root;
      if (!args->jails_dir.empty()) options.jails_dir = args->jails_dir;
      if (!args->release.empty()) options.release = args->release;
      return Init(c, options);
    };
  });
}

}  // namespace ljail::cli
