// The host's mount table through `mount -p` (fstab(5) format, spaces as
// \040), and umount(8) (freebsd-facts.md §3.1, §9).
#pragma once

#include <string>
#include <vector>

#include "host/host.h"
#include "host/process.h"

namespace ljail::host::freebsd {

struct MountEntry {
  std::string device;
  std::string mountpoint;
  std::string fstype;
  std::string options;
};

std::vector<MountEntry> ParseMountP(const std::string& text);
std::vector<MountEntry> Mounts(const Host& host);
Command Unmount(const std::string& mountpoint);

}  // namespace ljail::host::freebsd
