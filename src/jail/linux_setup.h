// Changing a jail's Linux tree with the tree's own programs, the jail
// running (so that mounts such as a shared /home are in place): apt, the
// locale, and create's setup steps, which run the steps of
// jail/tree_changes.h (packages, the account) once the jail exists.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "host/plan.h"
#include "jail/discovery.h"
#include "jail/jail_control.h"
#include "jail/linux_account.h"
#include "jail/linux_users.h"
#include "jail/tree_changes.h"
#include "jail/tree_settings.h"

namespace ljail::jail {

/// Writes the tree's /etc/resolv.conf for `mode` from inside the running
/// jail (the host's resolvers for copy); nothing for none.
void WriteResolvConf(const host::Host& host, const JailControl& runtime, const JailRecord& jail,
                     const DnsMode& mode);

/// create's --locale, as steps checked in `tree`: the locales package,
/// then its line in /etc/locale.gen (refused when glibc cannot generate
/// it), locale-gen and LANG in /etc/default/locale; done when both files
/// say so.
std::vector<host::Step> LocaleSteps(const InTree& at, const TreeFs& tree,
                                    const std::string& locale);
/// create's --user-ping: /usr/bin/ping setuid root (the datagram ICMP
/// socket is refused for users, and setcap has no capability attribute to
/// set under the Linuxulator); done when it is.
std::vector<host::Step> UserPingSteps(const InTree& at, const TreeFs& tree);

/// The steps of `create` that run inside the tree once the jail's file
/// exists: start it, packages, locale, the account, stop it. None when
/// nothing needs the tree's programs. `control` gives each step the
/// runtime of the host it runs on.
std::vector<host::Step> TreeSetupSteps(const std::string& jail_name, const TreeSetup& setup,
                                       ControlFor control);

/// Stops the jail when it runs: the last step of a setup, and what an
/// interrupted setup does before it exits.
host::Action StopJailAction(const std::string& jail_name, ControlFor control);

}  // namespace ljail::jail
