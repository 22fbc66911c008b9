// The host's mount table through `mount -p` (fstab(5) format, spaces as
// \040), and umount(8) (docs/freebsd.md §3.1, §9).
#pragma once

#include <string>
#include <vector>

#include "core/mount_table.h"
#include "host/host.h"
#include "host/process.h"

namespace ljail::host::freebsd {

/// The host's mount table, as `mount -p` prints it (core/mount_table.h).
std::vector<MountEntry> Mounts(const Host& host);
Command Unmount(const std::string& mountpoint);

}  // namespace ljail::host::freebsd
