// ljail's devfs ruleset for the Linux tree's /dev: devfsrules_jail plus the
// shm directory the Linux ABI creates, which ruleset 4 hides
// (docs/freebsd.md §3.1). Installed in /etc/devfs.rules once, loaded with
// `service devfs restart`.
#pragma once

#include <string>

#include "host/host.h"
#include "host/plan.h"

namespace ljail::host::freebsd {

inline constexpr const char* kLjailRulesetName = "devfsrules_jail_ljail_linux";

struct DevfsRuleset {
  int number = 0;
  Step step;  ///< installs and loads it (done when it is in place and loaded)
};

/// Finds ljail's ruleset in /etc/devfs.rules, or picks the first free
/// number from 51 and plans to add it.
DevfsRuleset PlanDevfsRuleset(const Host& host);

}  // namespace ljail::host::freebsd
