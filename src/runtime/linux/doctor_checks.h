// What `ljail doctor NAME` checks of a running jail that only the Linux
// namespace runtime has: root's capabilities against a FreeBSD jail's
// root's, the user namespace against $ljail_userns, the jail's cgroup
// (docs/linux-runtime.md, "Confinement"). Each is read from a process
// started in the jail, so it reports what is in force, not what the file
// asks for.
#pragma once

#include <vector>

#include "core/finding.h"
#include "core/mount_table.h"
#include "jail/discovery.h"
#include "jail/jail_control.h"

namespace ljail::host::linux_ns {

/// The capabilities, the user namespace and the cgroup of the jail.
std::vector<Finding> ConfinementFindings(const jail::JailControl& control,
                                         const jail::JailRecord& jail);

/// The jail's mounts as its processes see them (/proc/mounts inside), at
/// their host paths. The type is left empty: Linux names them (proc,
/// sysfs, overlay) otherwise than the file's FreeBSD lines (linprocfs).
std::vector<MountEntry> MountsSeen(const jail::JailControl& control, const jail::JailRecord& jail);

}  // namespace ljail::host::linux_ns
