// ljail release fetch | list: FreeBSD release templates.
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/verbs.h"
#include "core/error.h"
#include "host/settings.h"
#include "host/storage.h"
#include "rootfs/release_template.h"
#include "runtime/runtime.h"

namespace ljail::cli {
namespace {

using nlohmann::ordered_json;

int Fetch(Context& context, const rootfs::ReleaseRequest& request) {
  host::Host host = context.MakeHost();
  std::unique_ptr<host::Runtime> runtime = host::MakeRuntime(host);
  Settings settings = LoadHostSettings(host);
  // Planned once to refuse bad input before a lock file is made, then
  // again under the lock, as create does.
  host::Plan plan = runtime->ReleaseFetchPlan(settings, request);
  std::optional<host::HostLock> lock = context.LockHost(host);
  if (lock) plan = runtime->ReleaseFetchPlan(settings, request);
  return context.Apply(plan, host);
}

int List(Context& context, bool json) {
  host::Host host = context.MakeHost();
  Settings settings = LoadHostSettings(host);
  std::vector<rootfs::ReleaseTemplate> templates =
      host::MakeRuntime(host)->ReleaseTemplates(settings);
  if (json) {
    ordered_json out = ordered_json::array();
    for (const auto& t : templates) {
      out.push_back({{"release", t.release},
                     {"arch", t.arch},
                     {"complete", t.complete},
                     {"userland", t.userland},
                     {"path", t.path},
                     {"dataset", t.dataset},
                     {"snapshot", t.complete ? (t.dataset.empty() ? "" : t.dataset + "@base") : ""},
                     {"source", t.source},
                     {"base_sha256", t.base_sha256}});
    }
    *context.out << out.dump(2) << "\n";
    return 0;
  }
  if (templates.empty()) {
    *context.out << "no release templates yet: ljail release fetch REL\n";
    return 0;
  }
  *context.out << fmt::format("{:<16} {:<6} {:<10} {:<8} {:<20} {}\n", "RELEASE", "ARCH", "STATE",
                              "SOURCE", "USERLAND", "PATH");
  for (const auto& t : templates) {
    *context.out << fmt::format("{:<16} {:<6} {:<10} {:<8} {:<20} {}\n", t.release, t.arch,
                                t.complete ? "ready" : "partial", t.source.empty() ? "-" : t.source,
                                t.userland.empty() ? "-" : t.userland, t.path);
  }
  return 0;
}

}  // namespace

void AddReleaseVerbs(Command app, Action* action) {
  Command group = app.AddSubcommand("release", "FreeBSD release templates");
  group.RequireSubcommand(1);

  auto request = std::make_shared<rootfs::ReleaseRequest>();
  auto no_update = std::make_shared<bool>(false);
  Command fetch = group.AddSubcommand(
      "fetch", "Make the template of a FreeBSD release: download, check, extract, patch, snapshot");
  fetch.AddOption("release", request->release, "Release, e.g. 14.3-RELEASE").Required();
  fetch.AddOption("--arch", request->arch, "amd64 or arm64 (default: the settings' arch)");
  fetch
      .AddOption("--from", request->from_file,
                 "Use this base.txz instead of downloading it (MANIFEST beside it)")
      .TypeName("FILE");
  fetch.AddOption("--manifest", request->manifest_file, "The MANIFEST to check --from against")
      .TypeName("FILE");
  fetch.AddFlag("--no-update", *no_update,
                "Do not patch the template (freebsd-update, or pkg upgrade)");
  auto pkgbase = std::make_shared<bool>(false);
  auto sets = std::make_shared<bool>(false);
  Opt pkgbase_option = fetch.AddFlag(
      "--pkgbase", *pkgbase,
      "Install the base with pkg from the FreeBSD-base repository (15.0 and later; the "
      "default from 16)");
  fetch.AddFlag("--sets", *sets, "Extract distribution sets (base.txz; up to 15.x, the default)")
      .Excludes(pkgbase_option);
  fetch
      .AddOption("--fingerprints", request->fingerprints,
                 "pkgbase keys directory (default: /usr/share/keys/pkgbase-N)")
      .TypeName("DIR");
  fetch.Callback([=] {
    *action = [=](Context& c) {
      rootfs::ReleaseRequest r = *request;
      r.update = !*no_update;
      if (*pkgbase) r.source = "pkgbase";
      if (*sets) r.source = "sets";
      return Fetch(c, r);
    };
  });

  auto json = std::make_shared<bool>(false);
  Command list = group.AddSubcommand("list", "List release templates");
  list.AddFlag("--json", *json, "Print as JSON");
  list.Callback([=] { *action = [=](Context& c) { return List(c, *json); }; });
}

}  // namespace ljail::cli
