// Running ljail's jails on a Linux host: start (the keeper), stop, enter,
// list and destroy, from the same jail.conf files as on FreeBSD.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "host/host.h"
#include "host/plan.h"
#include "host/settings.h"
#include "jail/discovery.h"
#include "runtime/linux/runtime_spec.h"
#include "runtime/runtime.h"

namespace ljail::host::linux_ns {

/// The jail's block, as discovery evaluated it, checked for the runtime
/// (exit 2 for what jail(8) or the runtime would refuse).
RuntimeSpec RuntimeSpecOf(const Host& host, const jail::JailRecord& jail);

std::vector<std::string> DescribeStart(const Host& host, const jail::JailRecord& jail);
/// False when the jail was running already.
bool StartJail(const Host& host, const jail::JailRecord& jail, std::ostream& out);
void StopJail(const Host& host, const jail::JailRecord& jail, std::ostream& out);
int EnterJail(const Host& host, const jail::JailRecord& jail, const std::string& user,
              const std::vector<std::string>& argv);
std::vector<JailState> ListJailStatus(const Host& host);
/// The running jail's root as its processes see it: the keeper's root,
/// through /proc (Runtime::RunningTree).
TreeFs RunningTree(const Host& host, const jail::JailRecord& jail);
/// The stopped jail's tree, read-only, as its next start shows it
/// (Runtime::RestingTree): an overlay clone's layer over its template's
/// tree in a detached overlay, a copied tree as it is.
TreeFs RestingTree(const Host& host, const jail::JailRecord& jail);
/// argv in the running jail as `user` ("" = root), output captured
/// (Runtime::RunInTree).
ProcessResult RunInTree(const Host& host, const jail::JailRecord& jail,
                        const std::vector<std::string>& argv, const std::string& input,
                        const std::string& user);

/// The mount points of the host's mount table at or below `real_path`.
std::vector<std::string> MountsBelow(const std::string& real_path);

/// Stop, check that nothing of the host is mounted below the jail, remove
/// its storage (never crossing a mount or following a link) and its config.
/// Templates are never touched. Refuses jails ljail did not make, and a
/// running one without `force` (jail::MakeDestroyPlan).
Plan MakeDestroyPlan(const Host& host, const Settings& settings, const jail::JailRecord& jail,
                     bool force);

}  // namespace ljail::host::linux_ns
