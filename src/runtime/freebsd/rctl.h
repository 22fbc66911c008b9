// A FreeBSD jail's resource limits through rctl(8): one deny rule per
// resource, jail:NAME:RESOURCE:deny=AMOUNT. rctl_rule_add() replaces a deny
// rule that differs only in its amount (sys/kern/kern_rctl.c), so setting a
// limit again never stacks rules.
#pragma once

#include "core/resource_limits.h"
#include "host/host.h"
#include "jail/discovery.h"

namespace ljail::host::freebsd {

/// Usage error (exit 2) when the host's kernel keeps no resource accounting
/// (kern.racct.enable=0, GENERIC's default; a boot-time tunable): rctl
/// would refuse every rule.
void CheckRctl(const Host& host, const ResourceLimits& limits);

/// Puts the jail's limits into force while it runs: `rctl -a` for each
/// limit, `rctl -r` for each resource without one.
void ApplyRctl(const Host& host, const jail::JailRecord& jail);

}  // namespace ljail::host::freebsd
