// The seccomp filter of every process entered into a Linux-host jail, in the
// spirit of systemd-nspawn's and runc's defaults: system calls that reach
// the whole host, which a FreeBSD jail's root cannot make either, fail with
// EPERM, even where a dropped capability would already refuse them (two
// locks on each door). Installed with libseccomp before the process becomes
// its user, without no_new_privs, so setuid programs (sudo, su, ping) work.
#pragma once

#include <vector>

namespace ljail::host::linux_ns {

struct SeccompRule {
  const char* syscall;  ///< its name, as libseccomp resolves it
  const char* reason;
};

/// The system calls the filter refuses, each with its reason (README,
/// docs/linux-runtime.md). unshare and clone are refused only with
/// CLONE_NEWUSER, and clone3 fails with ENOSYS (its flags cannot be read by
/// a filter), so that libc falls back to clone.
const std::vector<SeccompRule>& RefusedSyscalls();

/// Loads the filter into the calling process (and so into everything it
/// executes). Needs CAP_SYS_ADMIN, which a process about to enter a jail
/// still has in its effective set.
void InstallSeccompFilter();

}  // namespace ljail::host::linux_ns
