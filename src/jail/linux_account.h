// Accounts of a jail's Linux tree (issue 6 §1-2): what `ljail user add`
// checks before anything changes, and the exact commands it runs inside
// the tree with the tree's own tools (groupadd, useradd, visudo), so that
// the result is what the distribution itself would have made.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace ljail::jail {

struct AccountRequest {
  std::string name;
  std::optional<uid_t> uid;
  std::optional<gid_t> gid;
  std::vector<std::string> groups;  ///< supplementary groups, existing in the tree
  std::string shell = "/bin/bash";
  bool sudo = false;
  bool nopasswd = false;   ///< sudo without a password
  bool from_host = false;  ///< uid/gid of the host's user of that name
  /// The jail's /home is a host directory (a share): the uid must not be
  /// another host user's, whose files the account would own there.
  bool home_from_host = false;
};

/// The name rules of Debian's adduser and useradd: a lower-case letter,
/// then lower-case letters, digits, '-', '_'; at most 32 characters.
void ValidateUserName(const std::string& name);

/// "USER[:UID[:GID]]" of `create --user`.
AccountRequest ParseUserSpec(const std::string& text);

/// What is decided once the tree's (and the host's) databases are read.
struct AccountPlan {
  AccountRequest request;
  uid_t uid = 0;
  gid_t gid = 0;
  std::string group_name;  ///< the primary group
  bool create_group = false;
  std::string home;
};

/// Checks the request against the tree's passwd(5)/group(5) texts (and the
/// host's, for --from-host) and picks free ids like adduser (the first free
/// one from 1000, the group's gid equal to the uid when free). Throws usage
/// errors: user exists, uid or gid taken, unknown group, no such host user.
AccountPlan PlanAccount(const AccountRequest& request, const std::string& passwd,
                        const std::string& group, const std::string& host_passwd = "");

/// groupadd when a group is created, then useradd (no home: see HomeScript).
std::vector<std::vector<std::string>> AccountCommands(const AccountPlan& plan);

/// sh(1) script, run as `sh -c SCRIPT sh HOME UID GID` inside the tree: the
/// home directory from /etc/skel, every path ljail creates owned by the
/// user; an existing home (a shared host /home) keeps its files, a home
/// directory root made for the user is given to the user, and a home of
/// another user is refused (exit 4). Prints what it did, one line each.
const char* HomeScript();

/// The file that grants sudo: /etc/sudoers.d/ljail-USER. sudo skips files
/// whose names contain '.', so a '.' in the user name becomes '_'.
std::string SudoersPath(const std::string& user);
std::string SudoersContent(const std::string& user, bool nopasswd);
/// sh(1) script, run as `sh -c SCRIPT sh TEMP FINAL` with the content on
/// stdin: writes TEMP (mode 0440), checks it with `visudo -cf`, and only
/// then renames it to FINAL; a file that fails is removed, never installed.
const char* InstallSudoersScript();

}  // namespace ljail::jail
