#include "runtime/freebsd/mounts.h"

namespace ljail::host::freebsd {

std::vector<MountEntry> Mounts(const Host& host) {
  return ReadFstab(host.Must({"mount", "-p"}).out);
}

Command Unmount(const std::string& mountpoint) { return {"umount", mountpoint}; }

}  // namespace ljail::host::freebsd
