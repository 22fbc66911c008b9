// The FreeBSD part of a jail's file (jail/config_gen.h): its network
// (addresses, or vnet with an epair on a bridge), FreeBSD's own rc as its
// start and stop, its /dev, and the host commands that run the Linux side's
// resolv.conf copy and services (jail(8): exec.*, in that order).
#pragma once

#include <memory>
#include <string>

#include "jail/config_gen.h"

namespace ljail::host::freebsd {

/// For a jail of `release` whose Linux /dev uses devfs ruleset `ruleset`;
/// `epair` ("epair100") for a vnet jail with an address, else "".
std::shared_ptr<const jail::OsConfLines> JailConfLines(const std::string& release, int ruleset,
                                                       const std::string& epair);

/// A jail's limits and services, added to its file later: the exec.*
/// lines that give $ljail_rctl to rctl(8) and start $ljail_services, when
/// the file does not use them yet.
const jail::OsConfEdits& JailConfEdits();

}  // namespace ljail::host::freebsd
