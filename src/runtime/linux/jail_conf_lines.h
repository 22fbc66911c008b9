// The Linux-host part of a jail's file (jail/config_gen.h): persist (the
// keeper holds the jail), its network (the host's, or vnet with a veth pair
// on a bridge), and its user namespace. The Linux runtime reads them back
// (runtime_spec.h).
#pragma once

#include <cstdint>
#include <memory>

#include "jail/config_gen.h"

namespace ljail::host::linux_ns {

/// For a jail whose user namespace's root is host id `userns_base` (0:
/// none).
std::shared_ptr<const jail::OsConfLines> JailConfLines(uint32_t userns_base);

/// Nothing to add: the runtime reads $ljail_rctl and $ljail_services
/// itself at each start; its jails have no addresses of their own.
const jail::OsConfEdits& JailConfEdits();

}  // namespace ljail::host::linux_ns
