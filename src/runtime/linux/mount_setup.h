// Performs a jail's translated mounts in the calling process's mount
// namespace (the keeper's, made private first), in order, each after
// jail(8)'s own checks (docs/freebsd.md §3.1): the mount point exists and
// no component below the jail's path is a symbolic link. A config that
// would fail on FreeBSD fails here too.
#pragma once

#include <string>

#include "runtime/linux/runtime_spec.h"

namespace ljail::host::linux_ns {

/// Throws (exit 1) with jail(8)'s wording when `mount_point` (a real path)
/// is missing or passes through a symbolic link below `jail_path`.
void CheckMountPoint(const std::string& jail_path, const std::string& mount_point);

/// Every operation of every line; `jail_path` is the real path of `path`.
/// With a user namespace (`userns_fd`, spec.userns_base), the idmapped
/// mounts go through it and the rest is made owned by the jail's root.
void PerformMounts(const RuntimeSpec& spec, const std::string& jail_path, int userns_fd = -1);

}  // namespace ljail::host::linux_ns
