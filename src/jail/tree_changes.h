// Changes of a jail's Linux tree as plans (DESIGN.md, principle 2): `user
// add`, `pkg` and `service enable` build steps that are checked against
// the tree first (the account exists, dpkg says the packages are
// installed, the init script is in place) and carry the tree's own
// commands exactly as they run, so that --dry-run prints those commands
// and a rerun skips what is done. create's setup runs the same steps once
// its jail exists (RunSubSteps), so a create stopped in its setup is
// finished by them too.
//
// A plan reads the tree as it is now: the running jail's, or a stopped
// jail's at rest (JailControl::RestingTree); a stopped jail is started
// for the steps that run in it and stopped after, also when one fails.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "host/plan.h"
#include "jail/config_gen.h"
#include "jail/discovery.h"
#include "jail/jail_control.h"
#include "jail/linux_account.h"

namespace ljail::jail {

/// The jail a change works on and the runtime that reaches into it. Both
/// outlive the plan (the verb, or the create step, that runs it owns them).
struct InTree {
  const JailControl* control = nullptr;
  const JailRecord* jail = nullptr;
};

/// A program of the tree, run as root in the running jail.
struct TreeCommand {
  std::vector<std::string> argv;
  std::string input;  ///< on its stdin; "" for none
  std::string what;   ///< for a failure: "adding user alice"
  /// Its output is what it did, and is shown instead of the command line.
  bool reports = false;
  /// An exit status that is a warning (its stderr shown), not a failure.
  int warning_status = -1;
};

/// The action that runs `command`; --dry-run prints "in JAIL: ARGV", with
/// the input as a here-document.
host::Action TreeCommandAction(const InTree& at, TreeCommand command);

/// apt-get ARGS in the tree, its progress shown, with
/// DEBIAN_FRONTEND=noninteractive and, unless the tree has one, a
/// /usr/sbin/policy-rc.d that keeps package scripts from starting daemons
/// while it runs (removed afterwards). Throws when apt-get fails.
void AptGet(const JailControl& runtime, const JailRecord& jail,
            const std::vector<std::string>& args, std::ostream& out);
/// The action that runs AptGet; --dry-run prints the apt-get line.
host::Action AptAction(const InTree& at, std::vector<std::string> args);

/// A plan of a tree change, and whether it starts the jail for it.
struct TreeChange {
  host::Plan plan;
  InTree at;
  bool starts_jail = false;
};

/// Runs the plan; a jail it started is stopped again also when a step
/// fails (and, through the plan's on_interrupt, when a signal stops it).
void RunTreeChange(const TreeChange& change, const host::Host& host, std::ostream& out);

/// The packages a request installs: each not installed yet, checked in
/// `tree`'s dpkg database; then dpkg --configure -a (what an interrupted
/// apt left), apt-get update, apt-get install -y.
std::vector<host::Step> InstallSteps(const InTree& at, const TreeFs& tree,
                                     const std::vector<std::string>& packages);

/// The account, its home and, with sudo, the package and the sudoers
/// file, each checked in `tree`. An account there already is checked
/// against the request (its uid) and finished if an earlier run stopped
/// before its home or sudoers file. `host_passwd` is the host's
/// /etc/passwd (--from-host, a /home shared from the host).
std::vector<host::Step> AccountSteps(const InTree& at, const TreeFs& tree,
                                     const AccountRequest& request, const std::string& host_passwd);

/// `ljail user add`: AccountSteps for a jail that exists. An account that
/// is whole already is a usage error, as adduser(8) makes it.
TreeChange UserAddChange(const host::Host& host, const InTree& at, const AccountRequest& request);

/// `ljail user del`: userdel, the sudoers file and, unless `keep_home`,
/// the home, never one on a directory shared from the host or on any
/// other mount (checked in the running jail, where the rm runs).
TreeChange UserDelChange(const InTree& at, const std::string& user, bool keep_home);

/// After an account with sudo and a password: the user has none yet.
void NoteSudoPassword(std::ostream& out, const std::string& jail, const AccountRequest& request);

/// `ljail pkg NAME install|remove|upgrade [PKG...]`: install and remove
/// are done when dpkg says so; upgrade always asks apt.
TreeChange PackageChange(const InTree& at, const std::string& verb,
                         const std::vector<std::string>& packages);

struct ServiceRequest {
  std::string name;
  std::string command;  ///< "" for a script the tree has
  std::string user = "root";
};

/// `ljail service NAME enable SVC`: ljail's init script for a command,
/// SVC in $ljail_services of the jail's file (with what the OS adds for
/// it: `edits`), and, in a running jail, the service started.
TreeChange ServiceEnableChange(const host::Host& host, const InTree& at,
                               const ServiceRequest& request, const OsConfEdits& edits);

/// `ljail service NAME disable SVC`: in a running jail the service stopped
/// and ljail's own script for it removed; SVC out of $ljail_services.
TreeChange ServiceDisableChange(const host::Host& host, const InTree& at, const std::string& name,
                                const OsConfEdits& edits);

}  // namespace ljail::jail
