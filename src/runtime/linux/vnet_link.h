// A vnet jail's link to a host bridge (issue 7 §1): a veth pair whose host
// end (ljvPID: short and unique, within the kernel's 15 characters) joins
// the bridge and whose other end is eth0 in the jail's network namespace,
// with the jail's address and default route. The pair goes when the
// namespace does; a bridge ljail made goes with its last member.
// iproute2's ip(8) and util-linux's nsenter(1) do the work: the commands
// are plain data, shown by --verbose and --dry-run.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "host/host.h"
#include "host/process.h"
#include "runtime/linux/runtime_spec.h"

namespace ljail::host::linux_ns {

/// The host end of the jail's veth pair.
std::string HostEndName(const std::string& keeper_pid);

/// The commands that make the bridge (when `create_bridge`) and link the
/// network namespace of the keeper (its PID, or "PID" for --dry-run) to it.
std::vector<Command> LinkCommands(const VnetLink& link, const std::string& keeper_pid,
                                  bool create_bridge);

/// Runs LinkCommands, making the bridge only when the host has none of
/// that name (and then marking it as ljail's, with the gateway on it).
void LinkUp(const Host& host, const VnetLink& link, pid_t keeper);

/// Deletes the bridge when ljail made it and no interface is left on it.
void RemoveBridgeIfUnused(const Host& host, const std::string& bridge);

}  // namespace ljail::host::linux_ns
