#include "runtime/linux/doctor_checks.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdint>

#include "core/resource_limits.h"
#include "core/strings.h"
#include "runtime/linux/confinement.h"
#include "runtime/linux/user_namespace.h"

namespace ljail::host::linux_ns {
namespace {

// The bounding set of a process in the jail (proc(5) CapBnd), every bit
// set when the line is missing or is not hex: what the tree's `cat`
// printed is data, and an unreadable answer must not read as confined.
uint64_t BoundingSet(const std::string& status) {
  uint64_t bounding = ~uint64_t{0};
  for (const std::string& line : SplitLines(status)) {
    if (line.rfind("CapBnd:", 0) != 0) continue;
    std::string hex = Trim(line.substr(7));
    uint64_t value = 0;
    auto [end, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), value, 16);
    if (ec == std::errc() && end == hex.data() + hex.size() && !hex.empty()) bounding = value;
  }
  return bounding;
}

Finding Capabilities(const jail::JailRecord& j, uint64_t bounding) {
  std::vector<std::string> held, dropped;
  for (const DroppedCapability& c : DroppedCapabilities({j.vnet, j.raw_sockets}))
    ((bounding >> c.number) & 1 ? held : dropped).push_back(c.name);
  std::string kept = j.vnet ? "CAP_NET_ADMIN (vnet)" : "";
  if (j.raw_sockets)
    kept += std::string(kept.empty() ? "" : ", ") + "CAP_NET_RAW (allow.raw_sockets)";
  if (!held.empty()) {
    return {"confinement of root in the jail", Verdict::kFail,
            "root inside still holds " + Join(held, ", "), "the jail was started by an older ljail",
            "ljail restart " + j.name};
  }
  return {"confinement of root in the jail", Verdict::kOk,
          fmt::format("root inside holds none of the {} capabilities a FreeBSD jail's root lacks{}",
                      dropped.size(), kept.empty() ? "" : "; allowed: " + kept),
          "", ""};
}

// A process in the jail sees its cgroup as "/" when the jail has a cgroup
// (and cgroup namespace) of its own; the limits are the cgroup's.
Finding Cgroup(const jail::JailRecord& j, const std::string& proc_cgroup) {
  bool own = false;
  for (const std::string& line : SplitLines(proc_cgroup)) {
    if (line.size() >= 2 && line.compare(line.size() - 2, 2, ":/") == 0) own = true;
  }
  if (!own) {
    return {"resource limits", Verdict::kWarn,
            "the jail's processes are not in a cgroup of its own",
            "the jail was started by an older ljail", "ljail restart " + j.name};
  }
  std::string limits = FormatRctlVariable(j.limits);
  return {
      "resource limits", Verdict::kOk,
      limits.empty() ? "none; the jail has a cgroup of its own" : limits + ", in the jail's cgroup",
      "", ""};
}

// The uid map (proc(5) /proc/PID/uid_map) a process in the jail printed,
// against the jail's $ljail_userns.
Finding UserNamespaceFinding(const jail::JailRecord& j, const std::string& uid_map) {
  std::vector<std::string> w = Words(uid_map);
  bool host_ids = w.size() == 3 && w[0] == "0" && w[1] == "0";
  std::string base = w.size() == 3 && w[0] == "0" && !host_ids ? w[1] : "";
  Finding f{"user namespace", Verdict::kOk, "", "", ""};
  if (host_ids && j.userns.empty()) {
    f.evidence =
        "none: root inside is the host's uid 0, held back by the capabilities and the filter "
        "above (a jail made with `create --userns` has host ids of its own)";
  } else if (uint64_t first = 0;
             !base.empty() && base == j.userns &&
             std::from_chars(base.data(), base.data() + base.size(), first).ptr ==
                 base.data() + base.size()) {
    // Only a number equal to the file's own value gets this far.
    f.evidence = fmt::format("root inside is host uid {}: ids 0-{} inside are host ids {}-{}",
                             first, kUsernsSize - 1, first, first + kUsernsSize - 1);
  } else {
    f.verdict = Verdict::kFail;
    f.evidence = fmt::format("the jail runs with uid map \"{}\", its file asks for {}",
                             Printable(Trim(uid_map).substr(0, 200)),
                             j.userns.empty() ? "none" : "$ljail_userns = " + j.userns);
    f.cause = "it was started before its file changed";
    f.fix = "ljail restart " + j.name;
  }
  return f;
}

}  // namespace

std::vector<Finding> ConfinementFindings(const jail::JailControl& control,
                                         const jail::JailRecord& jail) {
  return {Capabilities(jail, BoundingSet(control.OutputInTree(jail, {"cat", "/proc/self/status"}))),
          UserNamespaceFinding(jail, control.OutputInTree(jail, {"cat", "/proc/self/uid_map"})),
          Cgroup(jail, control.OutputInTree(jail, {"cat", "/proc/self/cgroup"}))};
}

std::vector<MountEntry> MountsSeen(const jail::JailControl& control, const jail::JailRecord& jail) {
  std::vector<MountEntry> seen;
  for (MountEntry& m : ReadFstab(control.OutputInTree(jail, {"cat", "/proc/mounts"}))) {
    m.mount_point = jail.path + (m.mount_point == "/" ? "" : m.mount_point);
    m.fstype.clear();
    seen.push_back(std::move(m));
  }
  return seen;
}

}  // namespace ljail::host::linux_ns
