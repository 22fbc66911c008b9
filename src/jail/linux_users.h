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

/// adduser's range of uids for people (FIRST_UID..LAST_UID, adduser.conf(5)):
/// the first free one is a new account's, and `user list` and doctor show
/// these (and root), not system accounts or nobody.
inline constexpr uid_t kFirstPersonId = 1000;
inline constexpr uid_t kLastPersonId = 59999;
inline bool IsPersonId(unsigned long id) { return id >= kFirstPersonId && id <= kLastPersonId; }

/// A uid or gid as the kernel can hold one: 0..4294967294 ((uid_t)-1 is
/// chown(2)'s "no change"); anything else, 4294967296 included (it would
/// wrap to root), is nullopt.
std::optional<unsigned long> ParseAccountId(const std::string& text);

/// One passwd(5) entry as every reader of ljail takes it.
struct PasswdEntry {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
  std::string home;   ///< as written ("" stays "")
  std::string shell;  ///< as written
};

/// Every entry of a passwd(5) text, in order. A line with fewer than seven
/// fields, an empty name, or an id the kernel cannot hold (0..4294967294:
/// 4294967296 would wrap to root) is not an entry.
std::vector<PasswdEntry> ReadPasswd(const std::string& text);

/// One group(5) entry: NAME:PASSWORD:GID:MEMBERS.
struct GroupEntry {
  std::string name;
  gid_t gid = 0;
  std::vector<std::string> members;
};

/// Every entry of a group(5) text, in order, by the same rules as ReadPasswd
/// (four fields, an id the kernel can hold).
std::vector<GroupEntry> ReadGroup(const std::string& text);

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
