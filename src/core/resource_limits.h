// Resource limits of a jail, named and measured as FreeBSD's rctl(8) names
// them (memoryuse, maxproc, pcpu), kept in the jail's own file as
// $ljail_rctl = "memoryuse=536870912 maxproc=200 pcpu=50". A FreeBSD host
// turns them into `rctl -a jail:NAME:RESOURCE:deny=AMOUNT` rules; the Linux
// runtime into the limits of the jail's cgroup (runtime/linux/cgroup.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ljail {

inline constexpr const char* kRctlVariable = "ljail_rctl";

struct ResourceLimits {
  std::optional<std::uint64_t> memoryuse;  ///< bytes of resident memory
  std::optional<std::uint64_t> maxproc;    ///< processes (Linux: tasks, threads included)
  std::optional<std::uint64_t> pcpu;       ///< percent of one CPU; 200 = two CPUs

  bool empty() const { return !memoryuse && !maxproc && !pcpu; }
  bool operator==(const ResourceLimits&) const = default;
};

/// The rctl resources ljail sets: "memoryuse", "maxproc", "pcpu".
const std::vector<std::string>& LimitResources();

/// Sets (or, for "none", clears) one resource from what a user typed:
/// memoryuse=512M (K, M, G, T: powers of 1024, as rctl's suffixes),
/// maxproc=200, pcpu=50. Usage error naming the resource otherwise. Returns
/// the value as it is recorded ("536870912", "none").
std::string SetLimit(ResourceLimits& limits, const std::string& resource, const std::string& value);

/// $ljail_rctl's text; usage error naming `where` for anything else.
ResourceLimits ParseRctlVariable(const std::string& text, const std::string& where);
std::string FormatRctlVariable(const ResourceLimits& limits);

/// (resource, amount) of each limit that is set, in LimitResources() order.
std::vector<std::pair<std::string, std::uint64_t>> LimitList(const ResourceLimits& limits);

}  // namespace ljail
