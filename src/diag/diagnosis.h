// From probe results to findings (issue 7 §2): each failure's Linux errno
// mapped to its known cause and a fix as a command, in the situation of the
// jail (FreeBSD or Linux host, shared IP or vnet, IPv6, raw sockets, root or
// a user). Pure: the tests feed it recorded probe results.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/finding.h"
#include "diag/probe.h"

namespace ljail::diag {

/// What the probes' results mean depends on.
struct JailNetwork {
  std::string jail;
  bool freebsd = true;
  bool vnet = false;
  std::vector<std::string> ip4;  ///< addresses ("10.0.0.9/24"); empty: see ip4_mode
  std::string ip4_mode;          ///< inherit, disable, new, or "" (addresses)
  std::string ip6_mode;          ///< inherit, disable, new, or "" (addresses or unset)
  bool raw_sockets = false;      ///< allow.raw_sockets
  std::string user;              ///< "" = root
  /// FreeBSD's compat.linux.ignore_ip_recverr (nullopt: unknown).
  std::optional<bool> ignore_ip_recverr;
};

std::vector<Finding> Diagnose(const std::vector<ProbeResult>& probes, const JailNetwork& net);

}  // namespace ljail::diag
