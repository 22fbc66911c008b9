// What the Linux runtime takes from a jail's jail.conf(5) block: the
// documented subset it honours (README, "Linux hosts"). Everything else is
// refused by name before anything changes: a parameter silently ignored
// would make a jail look safer than it is.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/resource_limits.h"
#include "jailconf/jail.h"
#include "runtime/linux/mount_translation.h"

namespace ljail::host::linux_ns {

/// A vnet jail's link to a host bridge ($ljail_bridge, $ljail_vnet_ip4,
/// $ljail_vnet_gateway in its file).
struct VnetLink {
  std::string bridge;
  std::string ip4;      ///< ADDR/LEN inside (eth0)
  std::string gateway;  ///< "" = no default route
};

struct RuntimeSpec {
  std::string name;
  std::string config_file;
  std::string path;              ///< host path of the jail's root (the Linux tree)
  std::string hostname;          ///< "" keeps the host's, as a FreeBSD jail would
  bool vnet = false;             ///< a network namespace of its own
  std::optional<VnetLink> link;  ///< with vnet: linked to a bridge; else loopback only
  int stop_timeout = 10;         ///< seconds between SIGTERM and SIGKILL (jail(8)'s default)
  /// allow.raw_sockets: root inside keeps CAP_NET_RAW; without it, as in a
  /// FreeBSD jail, nobody in the jail can open a raw socket.
  bool raw_sockets = false;
  std::vector<TranslatedMount> mounts;
  ResourceLimits limits;  ///< $ljail_rctl: the limits of the jail's cgroup
  /// $ljail_userns: the host id of root inside a user namespace of the
  /// jail's own (user_namespace.h); 0 = none, root inside is the host's.
  uint32_t userns_base = 0;
};

/// Checks a jail's evaluated block and translates it; usage error (exit 2)
/// naming the parameter, file and line for anything it cannot honour.
RuntimeSpec MakeRuntimeSpec(const jailconf::EvaluatedJail& jail, const RealPath& real);

}  // namespace ljail::host::linux_ns
