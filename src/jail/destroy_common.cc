#include "jail/destroy_common.h"

#include <fmt/format.h>

#include <memory>

#include "core/error.h"
#include "host/storage.h"

namespace ljail::jail {

host::Plan MakeDestroyPlan(const host::Host& host, const Settings& settings, const JailRecord& jail,
                           const std::string& linux_dir, bool force, const DestroyHooks& os) {
  if (!jail.managed) {
    ThrowUsage(
        fmt::format("{} was not made by ljail (no $ljail_* variables in {}): ljail does not "
                    "delete what it did not make",
                    jail.name, jail.config_file));
  }
  JailLayout layout = MakeLayout(settings, jail.name, linux_dir);
  RequireOwnStorage(jail.name, jail.path, layout);
  DestroySteps steps = os(layout);
  if (steps.running && !force) {
    ThrowUsage(fmt::format(
        "{} is running: stop it first (ljail stop {}), or give --force to stop it and destroy it",
        jail.name, jail.name));
  }
  host::Plan plan;
  plan.title = fmt::format("destroy jail {} ({})", jail.name, layout.storage_dir);
  plan.steps.push_back(std::move(steps.stop));
  for (host::Step& s : steps.teardown) plan.steps.push_back(std::move(s));
  plan.steps.push_back(std::move(steps.verify));

  std::unique_ptr<host::Storage> storage = host::MakeStorage(host, settings);
  bool zfs = storage->Kind() == "zfs";
  bool present = zfs ? storage->Exists(layout.StorageName()) : host.Exists(layout.storage_dir);
  host::Step data{fmt::format("jail storage {} (the template stays)",
                              zfs ? storage->Dataset(layout.StorageName()) : layout.storage_dir),
                  !present,
                  present ? "" : "gone already",
                  {}};
  if (present) data.actions.push_back(storage->Destroy(layout.StorageName()));
  plan.steps.push_back(std::move(data));

  std::string conf = jail.config_file;
  host::Step config{"jail config " + conf, !host.Exists(conf), "", {}};
  config.actions.push_back(
      host::Action::Custom("rm " + conf, [conf](const host::Host& h) { h.RemoveFile(conf); }));
  plan.steps.push_back(std::move(config));
  for (host::Step& s : steps.afterward) plan.steps.push_back(std::move(s));
  return plan;
}

}  // namespace ljail::jail
