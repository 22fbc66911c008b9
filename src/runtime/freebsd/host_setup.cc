#include "runtime/freebsd/host_setup.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"
#include "host/storage.h"
#include "host/zfs.h"
#include "jailconf/document.h"
#include "rootfs/bootstrap.h"
#include "runtime/freebsd/debian_keyring.h"

namespace ljail::host::freebsd {
namespace {

constexpr const char* kJailConfD = "/etc/jail.conf.d";
constexpr const char* kIncludePattern = "/etc/jail.conf.d/*.conf";

Settings ChooseSettings(const HostFacts& facts, const HostSetupOptions& options, bool found,
                        const Settings& existing) {
  if (found) {
    auto conflict = [&](const char* key, const std::optional<std::string>& wanted,
                        const std::string& have) {
      if (wanted && *wanted != have && !(*wanted == "none" && have.empty())) {
        ThrowUsage(
            fmt::format("{} says {} = \"{}\", not \"{}\": edit the file, or leave the option out",
                        kSettingsPath, key, have, *wanted));
      }
    };
    conflict("zfs_root", options.zfs_root, existing.zfs_root);
    conflict("jails_dir", options.jails_dir, existing.jails_dir);
    conflict("release", options.release, existing.release);
    return existing;
  }
  Settings s;
  s.arch = facts.arch;
  if (options.jails_dir) s.jails_dir = *options.jails_dir;
  if (options.release) s.release = *options.release;
  if (options.zfs_root) {
    s.zfs_root = *options.zfs_root == "none" ? "" : *options.zfs_root;
  } else if (!facts.pools.empty()) {
    // The Handbook's layout: zroot/jails mounted at /usr/local/jails.
    bool has_zroot =
        std::find(facts.pools.begin(), facts.pools.end(), "zroot") != facts.pools.end();
    s.zfs_root = (has_zroot ? std::string("zroot") : facts.pools.front()) + "/jails";
  }
  if (s.uses_zfs()) {
    std::string pool = s.zfs_root.substr(0, s.zfs_root.find('/'));
    if (std::find(facts.pools.begin(), facts.pools.end(), pool) == facts.pools.end()) {
      ThrowUsage(fmt::format("zfs_root \"{}\": no pool \"{}\" on this host{}", s.zfs_root, pool,
                             facts.pools.empty() ? " (no ZFS pools: use --zfs-root none)" : ""));
    }
  }
  ValidateSettings(s);
  return s;
}

Step SettingsStep(const HostFacts& facts) {
  Step step{"settings in " + std::string(kSettingsPath), facts.settings_found, "", {}};
  if (!facts.settings_found) {
    step.detail = fmt::format("missing; will hold zfs_root = \"{}\", jails_dir = \"{}\"",
                              facts.settings.zfs_root, facts.settings.jails_dir);
    step.actions.push_back(Action::Custom(
        "mkdir -p /usr/local/etc", [](const Host& h) { h.MakeDirectories("/usr/local/etc"); }));
    step.actions.push_back(Action::Write(kSettingsPath, RenderSettings(facts.settings)));
  }
  return step;
}

Step RcStep(const Host& host, const std::string& name, const std::string& why) {
  std::optional<std::string> value = RcValue(host, name);
  Step step{fmt::format("{}=YES in /etc/rc.conf ({})", name, why), IsYes(value), "", {}};
  if (!step.done) {
    step.detail = "now: " + value.value_or("unset");
    step.actions.push_back(Action::Run(SetRcValue(name, "YES")));
  }
  return step;
}

// Jails in /etc/jail.conf.d/ start at boot only when /etc/jail.conf
// includes them (14.0+) or jail_list names them (docs/freebsd.md §1.4, §1.5).
Step BootStep(const Host& host, const HostFacts& facts) {
  if (facts.release.major < 14) {
    return {"jails start at boot through jail_list (FreeBSD 13 has no .include)",
            true,
            "ljail create adds each jail to jail_list",
            {}};
  }
  std::string conf = RcValue(host, "jail_conf").value_or("/etc/jail.conf");
  Step step{fmt::format("{} includes {}", conf, kIncludePattern), false, "", {}};
  std::optional<std::string> text = host.ReadFile(conf);
  std::string updated;
  if (!text) {
    step.detail = "missing";
    updated =
        "# Settings shared by every jail, and the jails themselves: ljail keeps one\n"
        "# file per jail in /etc/jail.conf.d/. The include below is what makes\n"
        "# jail_enable=YES start them at boot (jail.conf(5), FreeBSD 14.0 and later).\n";
  } else {
    updated = *text;
  }
  jailconf::ConfigDocument doc(conf, updated);
  if (!doc.AddInclude(kIncludePattern)) {
    step.done = true;
    return step;
  }
  if (step.detail.empty()) step.detail = "no .include line";
  step.actions.push_back(Action::Custom(fmt::format("mkdir -p {}", kJailConfD),
                                        [](const Host& h) { h.MakeDirectories(kJailConfD); }));
  step.actions.push_back(Action::Write(conf, doc.text()));
  return step;
}

void StorageSteps(const Host& host, const HostFacts& facts, Plan* plan) {
  const Settings& s = facts.settings;
  if (s.uses_zfs()) {
    std::optional<zfs::Entry> root = zfs::Get(host, s.zfs_root);
    Step step{fmt::format("dataset {} mounted at {}", s.zfs_root, s.jails_dir), false, "", {}};
    if (root) {
      if (root->mountpoint != s.jails_dir) {
        ThrowFailure(
            fmt::format("{} is mounted at {}, but {} says jails_dir = \"{}\": change one "
                        "of them (zfs set mountpoint=... or edit the settings)",
                        s.zfs_root, root->mountpoint, kSettingsPath, s.jails_dir));
      }
      step.done = true;
    } else {
      std::string parent = s.zfs_root.substr(0, s.zfs_root.rfind('/'));
      if (zfs::Get(host, parent)) {
        step.actions.push_back(Action::Run(zfs::Create(s.zfs_root, {"mountpoint=" + s.jails_dir})));
      } else {
        // `zfs create -p` may ignore -o for what it creates (§6): set it after.
        step.actions.push_back(Action::Run({"zfs", "create", "-p", s.zfs_root}));
        step.actions.push_back(Action::Run(zfs::Set(s.zfs_root, "mountpoint", s.jails_dir)));
      }
    }
    plan->steps.push_back(step);
  }
  std::unique_ptr<Storage> storage = MakeStorage(host, s);
  for (const char* area : {"media", "templates", "containers"}) {
    bool exists = storage->Exists(area);
    Step step{fmt::format("{} {}", s.uses_zfs() ? "dataset" : "directory",
                          s.uses_zfs() ? s.Dataset(area) : s.Dir(area)),
              exists,
              "",
              {}};
    if (!exists) step.actions.push_back(storage->Create(area));
    plan->steps.push_back(step);
  }
  std::string state = StateDir(host);
  Step state_step{"ljail state directory " + state, host.IsDirectory(state), "", {}};
  if (!state_step.done) {
    state_step.actions.push_back(Action::Custom(
        "mkdir -p " + state, [state](const Host& h) { h.MakeDirectories(state, 0700); }));
  }
  plan->steps.push_back(state_step);
}

}  // namespace

HostSetup MakeHostSetup(const Host& host, const HostSetupOptions& options) {
  HostSetup setup;
  HostFacts& facts = setup.facts;
  facts.release = ReadHostRelease(host);
  facts.arch = ReadHostArch(host);
  facts.pools = zfs::Pools(host);
  Settings existing = LoadHostSettings(host, &facts.settings_found);
  facts.settings = ChooseSettings(facts, options, facts.settings_found, existing);

  Plan& plan = setup.plan;
  plan.title =
      fmt::format("prepare FreeBSD {} ({}) for Linux jails", facts.release.full, facts.arch);
  plan.steps.push_back(SettingsStep(facts));
  plan.steps.push_back(RcStep(host, "linux_enable", "Linux ABI at boot"));
  for (const KernelModule& m : LinuxJailModules()) {
    Step step{fmt::format("kernel module {} ({})", m.module, m.purpose),
              ModuleLoaded(host, m.module),
              "",
              {}};
    if (!step.done) step.actions.push_back(Action::Run(LoadModule(m.file)));
    plan.steps.push_back(step);
  }
  plan.steps.push_back(RcStep(host, "jail_enable", "jails at boot"));
  plan.steps.push_back(BootStep(host, facts));
  StorageSteps(host, facts, &plan);
  plan.steps.push_back(DebianKeyringStep(
      host, facts.settings, rootfs::DefaultKeyring(TemplatePolicy().keyring_dir, "debian")));
  return setup;
}

}  // namespace ljail::host::freebsd
