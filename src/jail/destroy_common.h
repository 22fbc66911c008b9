// The one destroy skeleton: what removing a jail ljail made is on every
// host, in order, with the steps only an OS knows given as hooks (as
// usr.sbin/jail walks one command table backward for every jail).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "host/host.h"
#include "host/plan.h"
#include "host/settings.h"
#include "jail/discovery.h"
#include "jail/layout.h"

namespace ljail::jail {

/// The OS's part of a destroy, made once the jail's layout is known.
struct DestroySteps {
  bool running = false;               ///< the jail runs now
  host::Step stop;                    ///< the jail is gone after it
  std::vector<host::Step> teardown;   ///< what a stop can leave: mounts, a bridge
  host::Step verify;                  ///< nothing of the host mounted below: checked as it runs
  std::vector<host::Step> afterward;  ///< after the jail's file (FreeBSD 13: jail_list)
};

using DestroyHooks = std::function<DestroySteps(const JailLayout&)>;

/// Refuses, with a usage error before anything changes, a jail ljail did
/// not make, one whose path is not the storage ljail keeps for it
/// (RequireOwnStorage), and a running one unless `force` (as bastille
/// destroy -f: a jail is not deleted from under its processes by a typo).
/// Then: stop, teardown, verify, the jail's storage
/// (its template stays), its file in /etc/jail.conf.d, afterward. Every
/// step says whether it is done, so a destroy run again finishes one that
/// was interrupted.
host::Plan MakeDestroyPlan(const host::Host& host, const Settings& settings, const JailRecord& jail,
                           const std::string& linux_dir, bool force, const DestroyHooks& os);

}  // namespace ljail::jail
