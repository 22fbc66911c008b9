// Running ljail's jails on FreeBSD: start/stop through rc.d/jail, entering
// the Linux side with jexec + chroot, listing, destroying (issue 4 §3-4).
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "host/host.h"
#include "host/plan.h"
#include "host/settings.h"
#include "jail/discovery.h"
#include "jail/linux_users.h"
#include "runtime/freebsd/jails.h"
#include "runtime/runtime.h"

namespace ljail::host::freebsd {

/// `service jail start NAME`, then checks with jls that it runs (rc.d/jail's
/// exit status alone does not say so: docs/freebsd.md §1.5, §9).
void StartJail(const Host& host, const jail::JailRecord& jail, std::ostream& out);
void StopJail(const Host& host, const jail::JailRecord& jail, std::ostream& out);
bool IsRunning(const Host& host, const std::string& name);

/// The argv that runs `argv` in the jail's Linux tree as `user`:
/// jexec NAME /usr/sbin/chroot -u UID -g GID -G GIDS /compat/debian
/// /usr/bin/env -i -C DIR VAR=... argv. Numeric ids: FreeBSD's chroot(8)
/// would look names up in the jail's FreeBSD passwd, which does not know
/// the Linux users. argv is passed as is (no shell in between).
Command LinuxExecCommand(const std::string& jail_name, const std::string& linux_dir,
                         const jail::LinuxUser& user, const std::vector<std::string>& env,
                         const std::string& cwd, const std::vector<std::string>& argv);

/// The user of the jail's Linux tree of that name or uid ("" = root), from
/// the tree's own passwd and group; a usage error when there is none.
jail::LinuxUser TreeUser(const Host& host, const jail::JailRecord& jail, const std::string& name);

/// Runs a command (or the user's login shell when argv is empty) in the
/// jail and returns its exit status. `freebsd` runs it on the FreeBSD side.
int EnterJail(const Host& host, const jail::JailRecord& jail, const std::string& user,
              const std::vector<std::string>& argv, bool freebsd);

/// Every Linux jail with its state, from one jls call and one zfs list call.
std::vector<JailState> ListJailStatus(const Host& host, const Settings& settings);

/// Stop, unmount what remains below the jail (in reverse), verify with
/// `mount -p` that nothing is mounted, then destroy the clones and the
/// config. Refuses jails ljail did not make.
Plan MakeDestroyPlan(const Host& host, const Settings& settings, const jail::JailRecord& jail,
                     bool force);

}  // namespace ljail::host::freebsd
