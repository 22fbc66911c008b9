#include "jail/create_common.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include "core/error.h"
#include "jail/discovery.h"

namespace ljail::jail {
namespace {

// jail(8) refuses a mount point with a symbolic link anywhere below the
// jail's path (freebsd-facts.md §3.1); so does ljail, before writing a config
// that could never start. Debian's merged /usr makes /lib, /bin, /sbin links.
std::string SymlinkOnTheWay(const host::Host& host, const std::string& tree,
                            const std::string& dir) {
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

}  // namespace

std::vector<std::string> MountPointsInTree(const JailSpec& spec) {
  std::vector<std::string> dirs = {"/dev", "/proc", "/sys", "/tmp"};
  for (const Share& s : spec.shares) dirs.push_back(s.jail_dir);
  return dirs;
}

CreateBasis PrepareCreate(const host::Host& host, const Settings& settings,
                          const host::Storage& storage, const CreateOptions& o) {
  CreateBasis basis{o.spec, "", {}};
  JailSpec& spec = basis.spec;
  ValidateJailName(spec.name);
  if (spec.hostname.empty()) spec.hostname = spec.name;
  ValidateJailSpec(spec);
  for (const Share& s : spec.shares) {
    if (!host.IsDirectory(s.host_dir)) {
      ThrowUsage(fmt::format("--share {}: no directory {} on the host", s.host_dir, s.host_dir));
    }
  }
  if (auto existing = FindJail(host, spec.name)) {
    ThrowUsage(fmt::format("jail \"{}\" exists already ({}); ljail destroy {} first", spec.name,
                           existing->config_file, spec.name));
  }
  if (host.os() == host::HostOs::kFreeBSD && !storage.Exists("templates")) {
    ThrowFailure(fmt::format(
        "{} does not exist: run `ljail host init` first",
        settings.uses_zfs() ? settings.Dataset("templates") : settings.Dir("templates")));
  }

  // The Linux template: given by name, or built from distro:suite if missing.
  if (!spec.template_key.empty()) {
    std::optional<rootfs::TemplateInfo> t = rootfs::FindTemplate(host, storage, spec.template_key);
    if (!t || !t->complete || !t->manifest) {
      ThrowUsage(fmt::format(
          "--template {}: no complete Linux template of that name (ljail template list)",
          spec.template_key));
    }
    basis.template_name = spec.template_key;
    spec.distro = t->manifest->key.distro;
    spec.suite = t->manifest->key.suite;
  } else {
    rootfs::TemplateRequest request =
        rootfs::MakeTemplateRequest(host, settings, o.template_options);
    basis.template_name = request.name;
    spec.distro = request.key.distro;
    spec.suite = request.key.suite;
    basis.template_steps = rootfs::TemplateBuildSteps(host, storage, request);
  }

  std::string template_tree = storage.Path("templates/" + basis.template_name);
  for (const std::string& dir : MountPointsInTree(spec)) {
    if (std::string link = SymlinkOnTheWay(host, template_tree, dir); !link.empty()) {
      ThrowUsage(fmt::format(
          "mount point {} would pass through the symbolic link {} of the {} tree: jail(8) "
          "refuses that (freebsd-facts.md §3.1); choose another directory",
          dir, link.substr(template_tree.size()), spec.distro));
    }
  }
  return basis;
}

void PrepareLinuxTree(const host::Host& host, const JailSpec& spec, const std::string& tree) {
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
  std::string hosts = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n";
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

bool TreePrepared(const host::Host& host, const JailSpec& spec, const std::string& tree) {
  for (const std::string& dir : MountPointsInTree(spec)) {
    if (!host.IsDirectory(tree + dir)) return false;
  }
  return host.ReadFile(tree + "/etc/hostname").value_or("") == spec.hostname + "\n";
}

void AppendSteps(std::vector<host::Step> steps, const std::string& prefix, host::Plan* plan) {
  for (host::Step& s : steps) {
    s.title = prefix + s.title;
    plan->steps.push_back(std::move(s));
  }
}

host::Step ConfigStep(const JailConfInput& input) {
  const std::string& file = input.layout.config_file;
  host::Step conf{"jail config " + file, false, "", {}};
  conf.actions.push_back(
      host::Action::Custom("mkdir -p " + std::string(kJailConfD),
                           [](const host::Host& h) { h.MakeDirectories(kJailConfD); }));
  conf.actions.push_back(host::Action::Write(file, GenerateJailConf(input)));
  return conf;
}

}  // namespace ljail::jail
