// What root in a Linux-host jail may do, as close to a FreeBSD jail's root
// as Linux allows (docs/linux-runtime.md, "Confinement"). One table says
// which capabilities leave the bounding set of the keeper and of every
// process entered into the jail, each with the FreeBSD privilege a jail's
// root lacks (sys/kern/kern_jail.c, prison_priv_check()); jail(8)'s allow.*
// parameters give some back. The kernel's global interfaces under /proc are
// made read-only or masked, as container runtimes do.
#pragma once

#include <string>
#include <vector>

namespace ljail::host::linux_ns {

struct DroppedCapability {
  int number;          ///< CAP_* (linux/capability.h)
  const char* name;    ///< "CAP_SYS_ADMIN"
  const char* reason;  ///< what a FreeBSD jail's root cannot do either
};

/// What the jail's processes may get back, from its parameters.
struct Allowances {
  bool vnet = false;         ///< its own network: root may configure it (CAP_NET_ADMIN)
  bool raw_sockets = false;  ///< allow.raw_sockets: CAP_NET_RAW
};

/// The capabilities no process of the jail has, root included.
std::vector<DroppedCapability> DroppedCapabilities(const Allowances& allowed);

/// In a process about to become (or exec into) the jail's: the bounding set
/// loses DroppedCapabilities(allowed), and the process joins a new session
/// keyring, so nothing of the caller's keyrings is reachable.
void ConfineProcess(const Allowances& allowed);

/// In the keeper, after the jail's mounts (`tree` is the real path of its
/// root): a proc file system at tree/proc gets its global writable files
/// read-only (/proc/sys, sysrq-trigger, ...) and its kernel-memory views
/// masked (kcore, kallsyms, ...). (sysfs is mounted read-only in the first
/// place: mount_translation.)
void MaskKernelInterfaces(const std::string& tree);

}  // namespace ljail::host::linux_ns
