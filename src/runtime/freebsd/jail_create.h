// `ljail create NAME` on FreeBSD (seed-walkthrough.md steps 4-6 in one
// command): the release and Linux templates (built if missing), a clone of
// each, the Linux tree's mount points and files, ljail's devfs ruleset, and
// /etc/jail.conf.d/NAME.conf generated through the jail.conf engine.
#pragma once

#include "core/jail_spec.h"
#include "host/host.h"
#include "host/plan.h"
#include "host/settings.h"
#include "jail/create_common.h"

namespace ljail::host::freebsd {

/// Checks everything the user gave (exit 2 on bad input, before any change)
/// and returns the plan. A jail whose config file exists already is refused;
/// leftovers of an interrupted create are finished instead.
Plan MakeCreatePlan(const Host& host, const Settings& settings, const jail::CreateOptions& options);

}  // namespace ljail::host::freebsd
