// `ljail doctor [NAME] [--user U]`: the host, a jail and its network, each
// check with a verdict, the evidence and the fix as a command (issue 7 §2).
// The network part runs the probe matrix inside the jail's Linux tree.
#pragma once

#include <string>
#include <vector>

#include "diag/diagnosis.h"
#include "host/host.h"
#include "jail/discovery.h"
#include "runtime/runtime.h"

namespace ljail::diag {

struct DoctorSection {
  std::string title;  ///< "host", "jail d2l", "network of d2l as admin"
  std::vector<Finding> findings;
};

/// The host's readiness (ljail host check's steps) and what the host's
/// runtime checks besides (FreeBSD: the Linux ABI's sysctls that Linux
/// programs depend on).
DoctorSection CheckHost(const host::Host& host);

/// The jail: running, its configuration, its mounts, the Linux tree's
/// resolv.conf, hosts and hostname, each user's home, sudoers.
DoctorSection CheckJail(const host::Host& host, const host::Runtime& runtime,
                        const jail::JailRecord& jail);

/// The probe matrix run inside the running jail as `user` ("" = root).
DoctorSection CheckNetwork(const host::Runtime& runtime, const jail::JailRecord& jail,
                           const std::string& user);

/// What Diagnose needs to know about the jail, from its file and the
/// host's Linux layer.
JailNetwork NetworkOf(const host::Runtime& runtime, const jail::JailRecord& jail,
                      const std::string& user);

}  // namespace ljail::diag
