#include "host/freebsd/jail_create.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include "core/error.h"
#include "host/freebsd/devfs_rules.h"
#include "host/freebsd/release.h"
#include "host/freebsd/system.h"
#include "host/storage.h"
#include "jail/config_gen.h"
#include "jail/discovery.h"
#include "jail/layout.h"
#include "rootfs/template_plan.h"

namespace ljail::host::freebsd {
namespace {

// jail(8) refuses a mount point with a symbolic link anywhere below the
// jail's path (freebsd-facts.md §3.1); so does ljail, before writing a config
// that could never start. Debian's merged /usr makes /lib, /bin, /sbin links.
std::string SymlinkOnTheWay(const Host& host, const std::string& tree, const std::string& dir) {
  std::string current = tree;
  for (size_t start = 1; start <= dir.size();) {
    size_t slash = dir.find('/', start);
    std::string part =
        dir.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    current += "/" + part;
    struct stat st {};
    if (::lstat(host.Real(current).c_str(), &st) == 0 && S_ISLNK(st.st_mode)) return current;
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return "";
}

std::vector<std::string> MountPointsInTree(const JailSpec& spec) {
  std::vector<std::string> dirs = {"/dev", "/proc", "/sys", "/tmp"};
  for (const Share& s : spec.shares) dirs.push_back(s.jail_dir);
  return dirs;
}

void PrepareLinuxTree(const Host& host, const JailSpec& spec, const jail::JailLayout& layout) {
  std::string tree = layout.LinuxTree();
  for (const std::string& dir : MountPointsInTree(spec)) {
    if (std::string link = SymlinkOnTheWay(host, tree, dir); !link.empty()) {
      ThrowFailure(
          fmt::format("mount point {}{} passes through the symbolic link {}: jail(8) would "
                      "refuse it; pick another directory",
                      tree, dir, link));
    }
    host.MakeDirectories(tree + dir, dir == "/tmp" ? 01777 : 0755);
  }
  host.WriteFile(tree + "/etc/hostname", spec.hostname + "\n");
  std::string hosts =
      fmt::format("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
  std::string names = spec.hostname;
  if (size_t dot = spec.hostname.find('.'); dot != std::string::npos)
    names += " " + spec.hostname.substr(0, dot);
  if (spec.ip4.empty()) {
    hosts += fmt::format("127.0.1.1\t{}\n", names);
  } else {
    for (const std::string& a : spec.ip4)
      hosts += fmt::format("{}\t{}\n", a.substr(0, a.find('/')), names);
  }
  host.WriteFile(tree + "/etc/hosts", hosts);
  // A regular file, not the host's symlink to a resolver stub that cannot
  // exist inside (issue 6 refreshes it at every start).
  if (auto resolv = host.ReadFile("/etc/resolv.conf"))
    host.WriteFile(tree + "/etc/resolv.conf", *resolv);
}

bool TreePrepared(const Host& host, const JailSpec& spec, const jail::JailLayout& layout) {
  std::string tree = layout.LinuxTree();
  for (const std::string& dir : MountPointsInTree(spec)) {
    if (!host.IsDirectory(tree + dir)) return false;
  }
  return host.ReadFile(tree + "/etc/hostname").value_or("") == spec.hostname + "\n";
}

void Prefix(std::vector<Step>* steps, const std::string& prefix, Plan* plan) {
  for (Step& s : *steps) {
    s.title = prefix + s.title;
    plan->steps.push_back(std::move(s));
  }
}

}  // namespace

Plan MakeCreatePlan(const Host& host, const Settings& settings, CreateOptions o) {
  JailSpec& spec = o.spec;
  ValidateJailName(spec.name);
  if (spec.hostname.empty()) spec.hostname = spec.name;
  ValidateJailSpec(spec);
  for (const Share& s : spec.shares) {
    if (!host.IsDirectory(s.host_dir)) {
      ThrowUsage(fmt::format("--share {}: no directory {} on the host", s.host_dir, s.host_dir));
    }
  }
  if (auto existing = jail::FindJail(host, spec.name)) {
    ThrowUsage(fmt::format("jail \"{}\" exists already ({}); ljail destroy {} first", spec.name,
                           existing->config_file, spec.name));
  }
  std::unique_ptr<Storage> storage = MakeStorage(host, settings);
  if (!storage->Exists("templates")) {
    ThrowFailure(fmt::format(
        "{} does not exist: run `ljail host init` first",
        settings.uses_zfs() ? settings.Dataset("templates") : settings.Dir("templates")));
  }

  // The Linux template: given by name, or built from distro:suite if missing.
  rootfs::TemplateRequest trequest;
  std::vector<Step> template_steps;
  std::string template_name = spec.template_key;
  if (!spec.template_key.empty()) {
    std::optional<rootfs::TemplateInfo> t = rootfs::FindTemplate(host, *storage, spec.template_key);
    if (!t || !t->complete || !t->manifest) {
      ThrowUsage(fmt::format(
          "--template {}: no complete Linux template of that name (ljail template list)",
          spec.template_key));
    }
    spec.distro = t->manifest->key.distro;
    spec.suite = t->manifest->key.suite;
  } else {
    trequest = rootfs::MakeTemplateRequest(host, settings, o.template_options);
    template_name = trequest.name;
    spec.distro = trequest.key.distro;
    spec.suite = trequest.key.suite;
    template_steps = rootfs::TemplateBuildSteps(host, *storage, trequest);
  }

  // The FreeBSD release under it: the one asked for, the settings', or the host's.
  HostRelease host_release = ReadHostRelease(host);
  std::string release = !spec.release.empty()       ? spec.release
                        : !settings.release.empty() ? settings.release
                                                    : host_release.release;
  ReleaseRequest rrequest{release, settings.arch, o.release_file, "", true};
  ValidateReleaseRequest(rrequest);
  spec.release = release;

  jail::JailLayout layout = jail::MakeLayout(settings, spec.name, spec.distro);
  if (!trequest.name.empty() || !spec.template_key.empty()) {
    std::string ttree = storage->Path("templates/" + template_name);
    for (const std::string& dir : MountPointsInTree(spec)) {
      if (std::string link = SymlinkOnTheWay(host, ttree, dir); !link.empty()) {
        ThrowUsage(
            fmt::format("mount point {} would pass through the symbolic link {} of the "
                        "{} tree: jail(8) refuses that (freebsd-facts.md §3.1); choose another "
                        "directory",
                        dir, link.substr(ttree.size()), spec.distro));
      }
    }
  }

  Plan plan;
  plan.title = fmt::format("jail {}: FreeBSD {} with {} {} at {}", spec.name, release, spec.distro,
                           spec.suite, layout.linux_dir);
  std::vector<Step> release_steps = MakeReleaseFetchPlan(host, settings, rrequest).steps;
  Prefix(&release_steps, "release " + release + ": ", &plan);
  Prefix(&template_steps, "template " + template_name + ": ", &plan);

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

  bool tree_there = host.Exists(layout.LinuxTree() + "/var/lib/dpkg/status");
  Step tree{
      fmt::format("{} {} at {}", spec.distro, spec.suite, layout.LinuxTree()), tree_there, "", {}};
  if (!tree.done) {
    tree.actions.push_back(storage->Clone("templates/" + template_name, "base",
                                          layout.LinuxStorageName(), layout.LinuxTree()));
  }
  plan.steps.push_back(tree);

  Step prepare{"mount points, hostname, hosts and resolv.conf in the Linux tree",
               tree_there && TreePrepared(host, spec, layout),
               "",
               {}};
  if (!prepare.done) {
    prepare.actions.push_back(Action::Custom(
        fmt::format("mkdir dev proc sys tmp{} in {} (no symbolic link on the way); write "
                    "etc/hostname ({}), etc/hosts, etc/resolv.conf (the host's)",
                    spec.shares.empty() ? "" : " and the shared directories", layout.LinuxTree(),
                    spec.hostname),
        [spec, layout](const Host& h) { PrepareLinuxTree(h, spec, layout); }));
  }
  plan.steps.push_back(prepare);

  jail::JailConfInput input{spec, layout, template_name, release, ruleset.number, HostOs::kFreeBSD};
  Step conf{"jail config " + layout.config_file, false, "", {}};
  conf.actions.push_back(
      Action::Custom("mkdir -p " + std::string(jail::kJailConfD),
                     [](const Host& h) { h.MakeDirectories(jail::kJailConfD); }));
  conf.actions.push_back(Action::Write(layout.config_file, jail::GenerateJailConf(input)));
  plan.steps.push_back(conf);

  if (host_release.major < 14) {
    // No .include before 14.0: rc.d/jail finds the file only through jail_list.
    Step list{"jail_list includes " + spec.name, false, "FreeBSD 13: no .include in jail.conf", {}};
    list.actions.push_back(Action::Run({"sysrc", "jail_list+=" + spec.name}));
    plan.steps.push_back(list);
  }
  return plan;
}

}  // namespace ljail::host::freebsd
