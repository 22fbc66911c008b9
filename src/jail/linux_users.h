// Users of a jail's Linux tree, read from the tree's own /etc/passwd and
// /etc/group. FreeBSD's `jexec -U` looks users up in the jail's FreeBSD
// database, which does not know them (anchors-jail-managers.md §2.1, §2.2).
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "core/tree_fs.h"

namespace ljail::jail {

/// What a tree's /etc/passwd or /etc/group may weigh: jail root can make
/// them anything, and the host reads them.
inline constexpr size_t kAccountFileLimit = size_t{16} << 20;

struct LinuxUser {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
  std::string home;
  std::string shell;
  std::vector<gid_t> groups;  ///< supplementary groups, the primary one first
};

/// The user named `who` (or with that numeric uid) in passwd(5)/group(5)
/// texts; nullopt when there is none.
std::optional<LinuxUser> FindLinuxUser(const std::string& passwd, const std::string& group,
                                       const std::string& who);

/// The user `who` of a tree, from its own /etc/passwd and /etc/group
/// (missing files: no users).
std::optional<LinuxUser> FindTreeUser(const TreeFs& tree, const std::string& who);

/// The environment a login would give the user (HOME, USER, LOGNAME, SHELL,
/// PATH, LANG), as NAME=value strings; TERM is added when given.
std::vector<std::string> LoginEnvironment(const LinuxUser& user, const std::string& term,
                                          const std::string& lang = "C.UTF-8");

}  // namespace ljail::jail
