#include "runtime/freebsd/jail_create.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "core/error.h"
#include "core/strings.h"
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
    if (!r.epair.starts_with("epair")) continue;
    if (std::optional<int> n = LeadingInt(std::string_view(r.epair).substr(5)))
      unit = std::max(unit, *n + 1);
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

// A FreeBSD jail: a release's base under the Linux tree at /compat/DISTRO.
class FreeBSDCreate : public jail::CreateHooks {
 public:
  FreeBSDCreate(const Host& host, const Settings& settings) : host_(host), settings_(settings) {}

  void Check(jail::CreateOptions& o) override {
    if (o.spec.userns) {
      ThrowUsage(
          "--userns: a user namespace is Linux's; a FreeBSD jail's root is confined by the jail "
          "itself (prison_priv_check(9)) and its ids are the host's: Linux hosts only");
    }
    // ip6 always explicit: inherit, unless the kernel has no IPv6, where
    // inherit would fail jail(8) and disable is all there is (errno 93 for
    // Linux programs' IPv6 sockets: docs/freebsd.md §5).
    no_inet6_ = o.spec.ip6.empty() && !o.spec.vnet && !Sysctl(host_, "kern.features.inet6");
    if (o.spec.ip6.empty()) o.spec.ip6 = no_inet6_ ? "disable" : "inherit";
    release_file_ = o.release_file;
    // jail(8) adds the addresses to the interface at every start
    // (`ifconfig IFACE inet ADDR alias`) and fails without it: say so now.
    if (!o.spec.interface.empty() && host_.Run({"ifconfig", o.spec.interface}).exit_code != 0) {
      ThrowUsage(fmt::format(
          "--interface {}: this host has no such interface (`ifconfig -l` lists them); jail(8) "
          "puts the jail's addresses on it at every start, so it must exist first",
          ShellQuoteWord(o.spec.interface)));
    }
  }
  rootfs::TemplateHost Templates() const override { return TemplatePolicy(); }
  jail::ControlFor Control() const override { return &MakeJailControl; }
  std::string LinuxDir(const JailSpec& spec) const override { return jail::CompatDir(spec.distro); }

  // The FreeBSD release under it: the one asked for, the settings', or the host's.
  std::vector<Step> BeforeTemplate(JailSpec& spec, const Storage& /*storage*/) override {
    host_release_ = ReadHostRelease(host_);
    release_ = !spec.release.empty()        ? spec.release
               : !settings_.release.empty() ? settings_.release
                                            : host_release_.release;
    request_ = {};
    request_.release = release_;
    request_.arch = settings_.arch;
    request_.from_file = release_file_;
    ValidateReleaseRequest(request_);
    spec.release = release_;
    Plan steps;
    jail::AppendSteps(MakeReleaseFetchPlan(host_, settings_, request_).steps,
                      "release " + release_ + ": ", &steps);
    return steps.steps;
  }
  std::string Title(const JailSpec& spec, const jail::JailLayout& layout) const override {
    return fmt::format("jail {}: FreeBSD {} with {} {} at {}", spec.name, release_, spec.distro,
                       spec.suite, layout.linux_dir);
  }
  std::vector<Step> Tree(const jail::CreateBasis& basis, const jail::JailLayout& layout,
                         const Storage& storage) override;
  void File(jail::JailConfInput& input) const override {
    input.os_lines = JailConfLines(release_, ruleset_, epair_);
  }
  std::vector<Step> Notes(const JailSpec& spec) const override {
    if (!no_inet6_) return {};
    return {{fmt::format("note: this host has no IPv6 (no kern.features.inet6), so {} has ip6 = "
                         "disable: Linux programs' IPv6 sockets get errno 93 (ljail doctor {} "
                         "explains it)",
                         spec.name, spec.name),
             false,
             "",
             {}}};
  }

 private:
  const Host& host_;
  const Settings& settings_;
  bool no_inet6_ = false;
  std::string release_file_;
  HostRelease host_release_;
  std::string release_;
  ReleaseRequest request_;
  int ruleset_ = 0;
  std::string epair_;
};

// The release's base cloned as the jail's root, the template's tree at
// /compat/DISTRO of it, prepared; the devfs ruleset and a vnet's epair.
std::vector<Step> FreeBSDCreate::Tree(const jail::CreateBasis& basis,
                                      const jail::JailLayout& layout, const Storage& storage) {
  const JailSpec& spec = basis.spec;
  std::vector<Step> steps;
  DevfsRuleset ruleset = PlanDevfsRuleset(host_);
  ruleset_ = ruleset.number;
  steps.push_back(ruleset.step);

  std::string release_name =
      "templates/" + (settings_.arch == request_.arch ? release_ : release_ + "-" + request_.arch);
  Step root{
      fmt::format("jail root {}",
                  storage.Kind() == "zfs" ? storage.Dataset(layout.StorageName()) : layout.path),
      storage.Exists(layout.StorageName()),
      "",
      {}};
  if (!root.done) root.actions.push_back(storage.Clone(release_name, "base", layout.StorageName()));
  steps.push_back(root);

  std::optional<TreeFs> linux_tree = host_.TreeIfExists(layout.LinuxTree());
  bool tree_there = linux_tree && linux_tree->Exists("/var/lib/dpkg/status");
  Step tree{
      fmt::format("{} {} at {}", spec.distro, spec.suite, layout.LinuxTree()), tree_there, "", {}};
  if (!tree.done) {
    tree.actions.push_back(storage.Clone("templates/" + basis.template_name, "base",
                                         layout.LinuxStorageName(), layout.LinuxTree()));
  }
  steps.push_back(tree);

  Step prepare{"mount points, hostname, hosts and resolv.conf in the Linux tree",
               tree_there && jail::TreePrepared(host_, spec, layout.LinuxTree()),
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
  steps.push_back(prepare);

  if (spec.vnet && !spec.ip4.empty()) {
    epair_ = FreeEpair(host_);
    steps.push_back(VnetRcConf(spec, layout.path, epair_));
  }
  if (host_release_.major < 14) {
    // No .include before 14.0: rc.d/jail finds the file only through jail_list.
    Step list{"jail_list includes " + spec.name, false, "FreeBSD 13: no .include in jail.conf", {}};
    list.actions.push_back(Action::Run({"sysrc", "jail_list+=" + spec.name}));
    steps.push_back(list);
  }
  return steps;
}

}  // namespace

Plan MakeCreatePlan(const Host& host, const Settings& settings,
                    const jail::CreateOptions& options) {
  FreeBSDCreate hooks(host, settings);
  return jail::MakeCreatePlan(host, settings, options, hooks);
}

}  // namespace ljail::host::freebsd
