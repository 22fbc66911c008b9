#include "runtime/freebsd/jail_create.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "core/error.h"
#include "host/storage.h"
#include "jail/config_gen.h"
#include "jail/create_common.h"
#include "jail/discovery.h"
#include "jail/layout.h"
#include "runtime/freebsd/devfs_rules.h"
#include "runtime/freebsd/jail_conf_lines.h"
#include "runtime/freebsd/release.h"
#include "runtime/freebsd/system.h"
#include "runtime/runtime.h"

namespace ljail::host::freebsd {
namespace {

// epair units from 100 up: below that are the ones made by hand or by other
// tools (`ifconfig epair create` counts from 0); each ljail jail keeps its own.
std::string FreeEpair(const Host& host) {
  int unit = 100;
  for (const jail::JailRecord& r : jail::DiscoverJails(host)) {
    if (r.epair.starts_with("epair")) unit = std::max(unit, std::atoi(r.epair.c_str() + 5) + 1);
  }
  return "epair" + std::to_string(unit);
}

// The jail's side of the epair, configured by the jail's own rc at start.
// Its rc.conf is the jail's: written through the tree API, as sysrc(8)
// would write it (NAME="VALUE"), not by sysrc -f, which follows a link
// jail root put there onto the host's own rc.conf.
Step VnetRcConf(const JailSpec& spec, const std::string& path, const std::string& epair) {
  std::vector<std::pair<std::string, std::string>> values = {
      {fmt::format("ifconfig_{}b", epair), "inet " + spec.ip4.front()}};
  if (!spec.gateway.empty()) values.emplace_back("defaultrouter", spec.gateway);
  std::string shown;
  for (const auto& [name, value] : values) shown += fmt::format(" {}=\"{}\"", name, value);
  Step step{fmt::format("network of the jail's own rc: {}b {} in {}/etc/rc.conf", epair,
                        spec.ip4.front(), path),
            false,
            "",
            {}};
  step.actions.push_back(
      Action::Custom("set in " + path + "/etc/rc.conf:" + shown, [path, values](const Host& h) {
        TreeFs tree = h.Tree(path);
        std::string text = tree.ReadFile("/etc/rc.conf").value_or("");
        for (const auto& [name, value] : values) text = SetRcAssignment(text, name, value);
        tree.WriteFile("/etc/rc.conf", text);
      }));
  return step;
}

}  // namespace

Plan MakeCreatePlan(const Host& host, const Settings& settings,
                    const jail::CreateOptions& options) {
  if (options.spec.userns) {
    ThrowUsage(
        "--userns: a user namespace is Linux's; a FreeBSD jail's root is confined by the jail "
        "itself (prison_priv_check(9)) and its ids are the host's: Linux hosts only");
  }
  // ip6 always explicit: inherit, unless the kernel has no IPv6, where
  // inherit would fail jail(8) and disable is all there is (errno 93 for
  // Linux programs' IPv6 sockets: docs/freebsd.md §5).
  jail::CreateOptions o = options;
  bool no_inet6 = o.spec.ip6.empty() && !o.spec.vnet && !Sysctl(host, "kern.features.inet6");
  if (o.spec.ip6.empty()) o.spec.ip6 = no_inet6 ? "disable" : "inherit";
  std::unique_ptr<Storage> storage = MakeStorage(host, settings);
  jail::CreateBasis basis =
      jail::PrepareCreate(host, settings, *storage, o, &MakeJailControl, TemplatePolicy());
  JailSpec& spec = basis.spec;
  const std::string& template_name = basis.template_name;

  // The FreeBSD release under it: the one asked for, the settings', or the host's.
  HostRelease host_release = ReadHostRelease(host);
  std::string release = !spec.release.empty()       ? spec.release
                        : !settings.release.empty() ? settings.release
                                                    : host_release.release;
  ReleaseRequest rrequest{release, settings.arch, o.release_file, "", true};
  ValidateReleaseRequest(rrequest);
  spec.release = release;

  jail::JailLayout layout = jail::MakeLayout(settings, spec.name, jail::CompatDir(spec.distro));

  Plan plan;
  plan.title = fmt::format("jail {}: FreeBSD {} with {} {} at {}", spec.name, release, spec.distro,
                           spec.suite, layout.linux_dir);
  jail::AppendSteps(MakeReleaseFetchPlan(host, settings, rrequest).steps,
                    "release " + release + ": ", &plan);
  jail::AppendSteps(basis.template_steps, "template " + template_name + ": ", &plan);

  DevfsRuleset ruleset = PlanDevfsRuleset(host);
  plan.steps.push_back(ruleset.step);

  std::string release_name =
      "templates/" + (settings.arch == rrequest.arch ? release : release + "-" + rrequest.arch);
  Step root{
      fmt::format("jail root {}",
                  storage->Kind() == "zfs" ? storage->Dataset(layout.StorageName()) : layout.path),
      storage->Exists(layout.StorageName()),
      "",
      {}};
  if (!root.done)
    root.actions.push_back(storage->Clone(release_name, "base", layout.StorageName()));
  plan.steps.push_back(root);

  std::optional<TreeFs> linux_tree = host.TreeIfExists(layout.LinuxTree());
  bool tree_there = linux_tree && linux_tree->Exists("/var/lib/dpkg/status");
  Step tree{
      fmt::format("{} {} at {}", spec.distro, spec.suite, layout.LinuxTree()), tree_there, "", {}};
  if (!tree.done) {
    tree.actions.push_back(storage->Clone("templates/" + template_name, "base",
                                          layout.LinuxStorageName(), layout.LinuxTree()));
  }
  plan.steps.push_back(tree);

  Step prepare{"mount points, hostname, hosts and resolv.conf in the Linux tree",
               tree_there && jail::TreePrepared(host, spec, layout.LinuxTree()),
               "",
               {}};
  if (!prepare.done) {
    prepare.actions.push_back(Action::Custom(
        fmt::format("mkdir dev proc sys tmp{} in {} (no symbolic link on the way); write "
                    "etc/hostname ({}), etc/hosts, etc/resolv.conf (the host's)",
                    spec.shares.empty() ? "" : " and the shared directories", layout.LinuxTree(),
                    spec.hostname),
        [spec, tree = layout.LinuxTree()](const Host& h) {
          jail::PrepareLinuxTree(h, spec, tree);
        }));
  }
  plan.steps.push_back(prepare);

  std::string epair;
  if (spec.vnet && !spec.ip4.empty()) {
    epair = FreeEpair(host);
    plan.steps.push_back(VnetRcConf(spec, layout.path, epair));
  }
  jail::JailConfInput input{
      spec, layout, template_name, "", {}, "", JailConfLines(release, ruleset.number, epair)};
  if (host_release.major < 14) {
    // No .include before 14.0: rc.d/jail finds the file only through jail_list.
    Step list{"jail_list includes " + spec.name, false, "FreeBSD 13: no .include in jail.conf", {}};
    list.actions.push_back(Action::Run({"sysrc", "jail_list+=" + spec.name}));
    plan.steps.push_back(list);
  }
  jail::AppendConfigAndSetup(input, basis, options, &plan);
  if (no_inet6) {
    plan.steps.push_back({fmt::format("note: this host has no IPv6 (no kern.features.inet6), so {} "
                                      "has ip6 = disable: Linux programs' IPv6 sockets get errno "
                                      "93 (ljail doctor {} explains it)",
                                      spec.name, spec.name),
                          false,
                          "",
                          {}});
  }
  return plan;
}

}  // namespace ljail::host::freebsd
