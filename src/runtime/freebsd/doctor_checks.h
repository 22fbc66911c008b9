// What `ljail doctor` checks of a FreeBSD host beyond `host check`'s steps:
// the Linux ABI's sysctls that decide whether Linux programs work, and
// whether the debootstrap port knows the suites ljail builds
// (docs/freebsd.md §4, §5, §8).
#pragma once

#include <optional>
#include <vector>

#include "core/finding.h"
#include "host/host.h"

namespace ljail::host::freebsd {

std::vector<Finding> HostFindings(const Host& host);

/// compat.linux.ignore_ip_recverr as a flag; nullopt when the sysctl is
/// missing (linux.ko not loaded, or a FreeBSD older than 12.2).
std::optional<bool> IgnoresIpRecverr(const Host& host);

}  // namespace ljail::host::freebsd
