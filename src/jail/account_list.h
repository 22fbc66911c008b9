// `ljail user list`: the people of a jail's Linux tree and the state of
// their homes, read without starting a stopped jail.
#pragma once

#include <string>
#include <vector>

#include "jail/discovery.h"
#include "jail/jail_control.h"
#include "jail/linux_users.h"

namespace ljail::jail {

struct AccountInfo {
  PasswdEntry entry;
  /// "ok", "missing", "owned by uid N", or for a stopped jail's home on a
  /// host directory "shared from the host (seen when the jail runs)".
  std::string home_state;
  bool sudo = false;  ///< root, or a sudoers file of its own
};

/// Root and the person ids (1000-59999) of the tree's /etc/passwd, in its
/// order. A running jail is asked from inside (stat and test as its root,
/// so a user namespace's ids read as the jail's); a stopped one is read at
/// rest (JailControl::RestingTree), nothing started and nothing run.
std::vector<AccountInfo> ListAccounts(const JailControl& control, const JailRecord& jail);

}  // namespace ljail::jail
