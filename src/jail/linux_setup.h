// Changing a jail's Linux tree with the tree's own programs, the jail
// running (so that mounts such as a shared /home are in place): packages
// through apt, the locale, accounts, sudo. Used by `create`
// after the jail's file exists and by `ljail user` and `ljail pkg`.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "host/plan.h"
#include "jail/discovery.h"
#include "jail/jail_control.h"
#include "jail/linux_account.h"
#include "jail/linux_users.h"
#include "jail/tree_settings.h"

namespace ljail::jail {

/// Keeps a jail running for a change: starts it when it is stopped, and
/// stops it again when the change is over, also after a failure.
class RunningForChange {
 public:
  RunningForChange(const JailControl& runtime, const JailRecord& jail, std::ostream& out);
  ~RunningForChange();
  RunningForChange(const RunningForChange&) = delete;
  RunningForChange& operator=(const RunningForChange&) = delete;

 private:
  const JailControl& runtime_;
  const JailRecord& jail_;
  std::ostream& out_;
  bool started_ = false;
};

/// Writes the tree's /etc/resolv.conf for `mode` from inside the running
/// jail (the host's resolvers for copy); nothing for none.
void WriteResolvConf(const host::Host& host, const JailControl& runtime, const JailRecord& jail,
                     const DnsMode& mode);

/// apt-get ARGS in the tree, its progress shown, with
/// DEBIAN_FRONTEND=noninteractive and, unless the tree has one, a
/// /usr/sbin/policy-rc.d that keeps package scripts from starting daemons
/// while it runs (removed afterwards). Throws when apt-get fails.
void AptGet(const JailControl& runtime, const JailRecord& jail,
            const std::vector<std::string>& args, std::ostream& out);
/// apt-get update, then apt-get install -y PACKAGES.
void InstallPackages(const JailControl& runtime, const JailRecord& jail,
                     const std::vector<std::string>& packages, std::ostream& out);

/// The request checked against the tree's own passwd and group (read
/// inside), and the host's for --from-host.
AccountPlan PlanAccountInTree(const host::Host& host, const JailControl& runtime,
                              const JailRecord& jail, const AccountRequest& request);
/// The home directory and sudoers of an account that exists already.
void FinishAccount(const JailControl& runtime, const JailRecord& jail, const AccountPlan& plan,
                   std::ostream& out);
/// groupadd/useradd, the home from /etc/skel, and with sudo the package
/// and a sudoers file checked by visudo.
/// True for an account a `user add` or `create --user` made and did not
/// finish (stopped after useradd): its home is missing or not its own, or
/// the sudo it asks for has no sudoers file. The same command finishes it.
bool AccountUnfinished(const JailControl& runtime, const JailRecord& jail, const LinuxUser& user,
                       const AccountRequest& request);

void AddAccount(const JailControl& runtime, const JailRecord& jail, const AccountPlan& plan,
                std::ostream& out);
/// userdel, the sudoers file, and the home unless `keep_home` or it lies on
/// a directory shared from the host (never deleted across a mount).
void RemoveAccount(const JailControl& runtime, const JailRecord& jail, const std::string& user,
                   bool keep_home, std::ostream& out);

/// locale.gen + locale-gen + update-locale (installs `locales` if needed).
void SetLocale(const JailControl& runtime, const JailRecord& jail, const std::string& locale,
               std::ostream& out);

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
