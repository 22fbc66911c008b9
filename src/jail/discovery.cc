#include "jail/discovery.h"

#include <fmt/format.h>

#include <set>
#include <utility>

#include "core/error.h"
#include "core/mount_table.h"
#include "core/strings.h"
#include "jail/layout.h"
#include "jailconf/jail_config.h"
#include "jailconf/param_table.h"
#include "rootfs/manifest.h"

namespace ljail::jail {
namespace {

// The Linux tree of a Handbook-style jail: the directory its linprocfs is
// mounted below ("<path>/compat/ubuntu/proc" -> "/compat/ubuntu").
std::string LinuxDirFromMounts(const std::string& path, const std::vector<std::string>& mounts) {
  for (const std::string& line : mounts) {
    std::optional<MountEntry> m = ReadFstabLine(line);
    if (!m || (m->fstype != "linprocfs" && m->fstype != "linsysfs")) continue;
    const std::string& mp = m->mount_point;
    std::string leaf = m->fstype == "linprocfs" ? "/proc" : "/sys";
    if (mp.starts_with(path) && mp.ends_with(leaf)) {
      return mp.substr(path.size(), mp.size() - path.size() - leaf.size());
    }
  }
  return "";
}

}  // namespace

void ThrowNotRunning(const std::string& jail_name) {
  ThrowFailure(fmt::format("{} is not running: ljail start {}", jail_name, jail_name));
}

bool JailRecord::SharesFromHost(const std::string& tree_dir) const {
  const std::string dir = LinuxTree() + tree_dir;  // tree-path-ok: compared, never opened
  for (const std::string& line : mounts) {
    std::optional<MountEntry> m = ReadFstabLine(line);
    if (!m || m->fstype != "nullfs") continue;
    if (dir == m->mount_point || dir.starts_with(m->mount_point + "/")) return true;
  }
  return false;
}

namespace {

JailRecord MakeRecord(const host::Host& host, const jailconf::JailConfig& config,
                      const jailconf::EvaluatedJail& j) {
  JailRecord r;
  r.name = j.name;
  r.config_file = std::string(j.location.file);
  r.path = j.String("path").value_or("");
  r.hostname = j.String("host.hostname").value_or(j.name);
  r.interface = j.String("interface").value_or("");
  for (auto [list, name] : {std::pair{&r.ip4, "ip4.addr"}, std::pair{&r.ip6, "ip6.addr"}}) {
    *list = j.List(name);
    if (jailconf::IsEmptyAddressList(*list)) list->clear();
  }
  r.ip4_mode = j.String("ip4").value_or("");
  r.ip6_mode = j.String("ip6").value_or("");
  r.vnet = j.String("vnet").value_or("") == "new" || j.Bool("vnet");
  r.raw_sockets = j.Bool("allow.raw_sockets");
  r.mounts = j.List("mount");
  r.distro = j.Variable("ljail_distro").value_or("");
  r.managed = !r.distro.empty();
  r.suite = j.Variable("ljail_suite").value_or("");
  r.template_name = j.Variable("ljail_template").value_or("");
  r.release = j.Variable("ljail_release").value_or("");
  r.linux_dir = j.Variable("ljail_linux").value_or(LinuxDirFromMounts(r.path, r.mounts));
  r.services = Words(j.Variable("ljail_services").value_or(""));
  r.dns = j.Variable("ljail_dns").value_or(r.managed ? "copy" : "none");
  r.epair = j.Variable("ljail_epair").value_or("");
  r.userns = j.Variable("ljail_userns").value_or("");
  r.partial = j.Variable(kPartialVariable).value_or("");
  try {
    r.limits = ParseRctlVariable(j.Variable(kRctlVariable).value_or(""), r.config_file);
  } catch (const Error& e) {
    r.problems.push_back(e.what());
  }
  if (r.ip4.empty()) {
    if (auto vnet_ip4 = j.Variable("ljail_vnet_ip4")) r.ip4 = {*vnet_ip4};
  }
  if (!r.managed && !r.linux_dir.empty()) {
    try {
      if (std::optional<TreeFs> tree = host.TreeIfExists(r.LinuxTree())) {
        auto os = rootfs::ReadOsRelease(*tree);
        r.distro = os["ID"];
        r.suite = os["VERSION_CODENAME"];
      }
    } catch (const Error& e) {  // a FIFO or a huge file jail root left there
      r.problems.push_back(e.what());
    }
  }
  for (const jailconf::Diagnostic& d : config.MessagesFor(j.name)) {
    if (d.severity == jailconf::Severity::kError)
      r.problems.push_back(jailconf::FormatDiagnostic(d));
  }
  if (config.JailIsUsable(j.name)) r.block = std::make_shared<const jailconf::EvaluatedJail>(j);
  return r;
}

void Collect(const host::Host& host, const jailconf::JailConfig& config,
             std::set<std::string>* seen, std::vector<JailRecord>* out) {
  for (const jailconf::EvaluatedJail& j : config.jails) {
    if (!seen->insert(j.name).second) continue;
    JailRecord r = MakeRecord(host, config, j);
    if (r.managed || !r.linux_dir.empty()) out->push_back(std::move(r));
  }
}

}  // namespace

std::vector<JailRecord> DiscoverJails(const host::Host& host) {
  std::vector<JailRecord> out;
  std::set<std::string> seen;
  std::set<std::string> files_read;
  if (host.Exists("/etc/jail.conf")) {
    jailconf::JailConfig main = jailconf::JailConfig::Load("/etc/jail.conf", host.root());
    for (const auto& f : main.loaded.files) files_read.insert(f->name);
    Collect(host, main, &seen, &out);
  }
  for (const std::string& f : UnincludedJailFiles(host, files_read))
    Collect(host, jailconf::JailConfig::Load(f, host.root()), &seen, &out);
  return out;
}

std::vector<std::string> UnincludedJailFiles(const host::Host& host,
                                             const std::set<std::string>& included) {
  // rc.d/jail also starts /etc/jail.conf.d/NAME.conf on its own when
  // /etc/jail.conf does not include it (docs/freebsd.md §1.5).
  std::vector<std::string> files;
  for (const std::string& name : host.ListDirectory(kJailConfD)) {
    std::string path = std::string(kJailConfD) + "/" + name;
    if (name.ends_with(".conf") && !included.count(path)) files.push_back(path);
  }
  return files;
}

std::optional<JailRecord> FindJail(const host::Host& host, const std::string& name) {
  for (JailRecord& r : DiscoverJails(host)) {
    if (r.name == name) return std::move(r);
  }
  return std::nullopt;
}

}  // namespace ljail::jail
