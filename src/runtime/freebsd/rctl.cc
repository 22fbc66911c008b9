#include "runtime/freebsd/rctl.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/strings.h"
#include "runtime/freebsd/system.h"

namespace ljail::host::freebsd {

void CheckRctl(const Host& host, const ResourceLimits& limits) {
  if (limits.empty()) return;
  std::optional<std::string> enabled = Sysctl(host, "kern.racct.enable");
  if (enabled == "1") return;
  ThrowUsage(fmt::format(
      "{}: this kernel keeps no resource accounting ({}), so rctl(8) refuses every rule. "
      "Add kern.racct.enable=1 to /boot/loader.conf and reboot (rctl(8), loader.conf(5))",
      FormatRctlVariable(limits),
      enabled ? "kern.racct.enable=" + *enabled : "no kern.racct.enable: a kernel without RACCT"));
}

void ApplyRctl(const Host& host, const jail::JailRecord& jail) {
  CheckRctl(host, jail.limits);
  for (const std::string& resource : LimitResources()) {
    std::string rule = fmt::format("jail:{}:{}", jail.name, resource);
    std::optional<std::uint64_t> amount;
    for (const auto& [r, n] : LimitList(jail.limits))
      if (r == resource) amount = n;
    Command c = amount ? Command{"rctl", "-a", fmt::format("{}:deny={}", rule, *amount)}
                       : Command{"rctl", "-r", rule};
    ProcessResult r = host.Run(c);
    // Removing a rule that is not there is not a failure.
    if (!r.ok() && amount) {
      ThrowFailure(fmt::format("{}: {}: {}", jail.name, ShellQuote(c.argv), r.err));
    }
  }
}

}  // namespace ljail::host::freebsd
