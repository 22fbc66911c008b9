#include "jailconf/param_table.h"

#include <array>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "core/spelling.h"
#include "jailconf/names.h"

namespace ljail::jailconf {
namespace {

using enum ParamType;
using enum OnLinux;

// Kernel parameters (kern_jail.c, jail.8) and jail(8) pseudo-parameters
// (config.c intparams[]). kJail8Table marks the rows of intparams[]. The
// last two columns are ljail's Linux runtime: what it honours, and the
// capability a parameter grants root in the jail (unset: dropped).
constexpr std::array kParams = {
    // Identity and root.
    ParamSpec{"jid", kInt, kImmutable | kCreationOnly | kJail8Table},
    ParamSpec{"name", kString, kImmutable | kJail8Table},
    ParamSpec{"path", kString, kCreationOnly | kJail8Table, kHonoured},
    ParamSpec{"host", kJailSys, 0},
    ParamSpec{"host.hostname", kString, kJail8Table, kHonoured},
    ParamSpec{"host.domainname", kString, 0},
    ParamSpec{"host.hostuuid", kString, 0},
    ParamSpec{"host.hostid", kInt, 0},
    ParamSpec{"securelevel", kInt, kJail8Table},
    ParamSpec{"osrelease", kString, kCreationOnly},
    ParamSpec{"osreldate", kInt, kCreationOnly},
    ParamSpec{"enforce_statfs", kInt, 0},
    ParamSpec{"devfs_ruleset", kInt, kJail8Table},
    ParamSpec{"children.max", kInt, 0},
    ParamSpec{"children.cur", kInt, kReadOnly},
    ParamSpec{"persist", kBool, kJail8Table, kHonoured},
    ParamSpec{"dying", kBool, kReadOnly},
    ParamSpec{"parent", kInt, kReadOnly},
    ParamSpec{"cpuset.id", kInt, kReadOnly},
    // Free text for the administrator, shown by jls (14.4 and later).
    ParamSpec{"meta", kString, 0},
    ParamSpec{"env", kString, 0},
    // Networking (§2.1, §5).
    ParamSpec{"ip4", kJailSys, kCreationOnly | kSettable, kInheritOnly},
    ParamSpec{"ip6", kJailSys, kCreationOnly | kSettable, kInheritOnly},
    ParamSpec{"ip4.addr", kIp4List, kJail8Table | kReverseOnStop | kSettable},
    ParamSpec{"ip6.addr", kIp6List, kJail8Table | kReverseOnStop},
    ParamSpec{"ip4.saddrsel", kBool, 0},
    ParamSpec{"ip6.saddrsel", kBool, 0},
    ParamSpec{"vnet", kJailSys, kCreationOnly | kJail8Table, kHonoured, "CAP_NET_ADMIN"},
    // Permissions.
    ParamSpec{"allow.set_hostname", kBool, kJail8Table},
    ParamSpec{"allow.sysvipc", kBool, kJail8Table},
    ParamSpec{"allow.raw_sockets", kBool, kJail8Table | kSettable, kHonoured, "CAP_NET_RAW"},
    ParamSpec{"allow.chflags", kBool, kJail8Table},
    ParamSpec{"allow.mount", kBool, kJail8Table},
    ParamSpec{"allow.socket_af", kBool, kJail8Table},
    ParamSpec{"allow.quotas", kBool, 0},
    ParamSpec{"allow.mlock", kBool, 0},
    ParamSpec{"allow.read_msgbuf", kBool, 0},
    ParamSpec{"allow.reserved_ports", kBool, 0},
    ParamSpec{"allow.unprivileged_proc_debug", kBool, 0},
    ParamSpec{"allow.suser", kBool, 0},
    ParamSpec{"allow.extattr", kBool, 0},
    ParamSpec{"allow.nfsd", kBool, 0},
    // Linux ABI and System V IPC (exist once their modules are loaded).
    ParamSpec{"linux", kJailSys, 0},
    ParamSpec{"linux.osname", kString, 0},
    ParamSpec{"linux.osrelease", kString, 0},
    ParamSpec{"linux.oss_version", kInt, 0},
    ParamSpec{"sysvmsg", kJailSys, 0},
    ParamSpec{"sysvsem", kJailSys, 0},
    ParamSpec{"sysvshm", kJailSys, 0},
    // jail(8) pseudo-parameters (§2.2).
    ParamSpec{"allow.dying", kBool, kInternal | kJail8Table},
    ParamSpec{"command", kList, kInternal | kJail8Table},
    ParamSpec{"depend", kList, kInternal | kJail8Table},
    ParamSpec{"exec.clean", kBool, kInternal | kJail8Table, kHonoured},
    ParamSpec{"exec.consolelog", kString, kInternal | kJail8Table},
    ParamSpec{"exec.fib", kInt, kInternal | kJail8Table},
    ParamSpec{"exec.jail_user", kString, kInternal | kJail8Table},
    ParamSpec{"exec.prepare", kList, kInternal | kJail8Table},
    ParamSpec{"exec.prestart", kList, kInternal | kJail8Table},
    ParamSpec{"exec.created", kList, kInternal | kJail8Table},
    ParamSpec{"exec.start", kList, kInternal | kJail8Table},
    ParamSpec{"exec.poststart", kList, kInternal | kJail8Table},
    ParamSpec{"exec.prestop", kList, kInternal | kJail8Table},
    ParamSpec{"exec.stop", kList, kInternal | kJail8Table},
    ParamSpec{"exec.poststop", kList, kInternal | kJail8Table},
    ParamSpec{"exec.release", kList, kInternal | kJail8Table},
    ParamSpec{"exec.system_jail_user", kBool, kInternal | kJail8Table},
    ParamSpec{"exec.system_user", kString, kInternal | kJail8Table},
    ParamSpec{"exec.timeout", kInt, kInternal | kJail8Table},
    ParamSpec{"interface", kString, kInternal | kJail8Table},
    ParamSpec{"ip_hostname", kBool, kInternal | kJail8Table},
    ParamSpec{"mount", kList, kInternal | kJail8Table | kReverseOnStop, kHonoured},
    ParamSpec{"mount.devfs", kBool, kInternal | kJail8Table},
    ParamSpec{"mount.fdescfs", kBool, kInternal | kJail8Table},
    ParamSpec{"mount.procfs", kBool, kInternal | kJail8Table},
    ParamSpec{"mount.fstab", kList, kInternal | kJail8Table},
    ParamSpec{"stop.timeout", kInt, kInternal | kJail8Table, kHonoured},
    ParamSpec{"vnet.interface", kList, kInternal | kJail8Table},
    ParamSpec{"zfs.dataset", kList, kInternal | kJail8Table},
};

// Families registered at run time: every allow.* flag is a boolean, and
// allow.mount.<fstype> appears when a jail-friendly file system loads.
constexpr ParamSpec kAllowFamily{"allow.*", kBool, 0};
constexpr ParamSpec kLinuxFamily{"linux.*", kString, 0};

const ParamSpec* FindExact(std::string_view name) {
  static const std::unordered_map<std::string_view, const ParamSpec*> index = [] {
    std::unordered_map<std::string_view, const ParamSpec*> map;
    for (const ParamSpec& spec : kParams) map.emplace(spec.name, &spec);
    return map;
  }();
  auto it = index.find(name);
  return it == index.end() ? nullptr : it->second;
}

}  // namespace

std::span<const ParamSpec> AllParams() { return kParams; }

const ParamSpec* FindParam(std::string_view name) {
  if (const ParamSpec* spec = FindExact(name)) return spec;
  std::string plain = WithoutNoPrefix(name);
  if (plain != name) {
    const ParamSpec* spec = FindExact(plain);
    if (spec && spec->type == kBool) return spec;
    if (plain.starts_with("allow.")) return &kAllowFamily;
    return nullptr;
  }
  if (name.starts_with("allow.") && name.size() > 6) return &kAllowFamily;
  if (name.starts_with("linux.") && name.size() > 6) return &kLinuxFamily;
  return nullptr;
}

bool VariableNameIsReserved(std::string_view name) {
  // Every name EqualOpts() ties to a jail(8) parameter: the name itself and
  // the forms with one "no" added at, or removed from, a component start.
  static const std::unordered_set<std::string> reserved = [] {
    std::unordered_set<std::string> names;
    for (const ParamSpec& spec : kParams) {
      if (!(spec.flags & kJail8Table)) continue;
      std::string base(spec.name);
      names.insert(base);
      for (size_t start = 0; start != std::string::npos;) {
        names.insert(base.substr(0, start) + "no" + base.substr(start));
        if (base.compare(start, 2, "no") == 0) {
          names.insert(base.substr(0, start) + base.substr(start + 2));
        }
        size_t dot = base.find('.', start);
        start = dot == std::string::npos ? dot : dot + 1;
      }
    }
    return names;
  }();
  return reserved.contains(std::string(name));
}

std::string_view ClosestParamName(std::string_view name) {
  std::string_view best;
  size_t best_distance = SIZE_MAX;
  for (const ParamSpec& spec : kParams) {
    size_t distance = EditDistance(name, spec.name);
    if (distance < best_distance) {
      best_distance = distance;
      best = spec.name;
    }
  }
  return CloseEnough(name, best) ? best : std::string_view();
}

}  // namespace ljail::jailconf
