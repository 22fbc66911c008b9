#include "jail/linux_users.h"

#include <algorithm>

#include "core/strings.h"

namespace ljail::jail {

std::optional<unsigned long> ParseAccountId(const std::string& text) {
  if (text.empty() || text.size() > 10 || text.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  unsigned long value = std::stoul(text);  // at most 9999999999: no overflow
  if (value > 4294967294UL) return std::nullopt;
  return value;
}

std::vector<PasswdEntry> ReadPasswd(const std::string& text) {
  std::vector<PasswdEntry> out;
  for (const std::string& line : SplitLines(text)) {
    std::vector<std::string> f = Split(line, ':');
    if (f.size() < 7 || f[0].empty()) continue;  // passwd(5): every entry has a name
    std::optional<unsigned long> uid = ParseAccountId(f[2]), gid = ParseAccountId(f[3]);
    if (!uid || !gid) continue;
    out.push_back({f[0], static_cast<uid_t>(*uid), static_cast<gid_t>(*gid), f[5], f[6]});
  }
  return out;
}

std::vector<GroupEntry> ReadGroup(const std::string& text) {
  std::vector<GroupEntry> out;
  for (const std::string& line : SplitLines(text)) {
    std::vector<std::string> f = Split(line, ':');
    std::optional<unsigned long> gid = f.size() < 4 ? std::nullopt : ParseAccountId(f[2]);
    if (!gid) continue;
    out.push_back({f[0], static_cast<gid_t>(*gid), Split(f[3], ',')});
  }
  return out;
}

std::optional<LinuxUser> FindLinuxUser(const std::string& passwd, const std::string& group,
                                       const std::string& who) {
  const std::optional<unsigned long> wanted_uid = ParseAccountId(who);
  for (const PasswdEntry& e : ReadPasswd(passwd)) {
    if (!(e.name == who || (wanted_uid && e.uid == *wanted_uid))) continue;
    LinuxUser u{e.name, e.uid, e.gid, e.home, e.shell, {e.gid}};
    if (u.shell.empty()) u.shell = "/bin/sh";
    if (u.home.empty()) u.home = "/";
    for (const GroupEntry& g : ReadGroup(group)) {
      if (std::find(g.members.begin(), g.members.end(), u.name) != g.members.end() &&
          std::find(u.groups.begin(), u.groups.end(), g.gid) == u.groups.end()) {
        u.groups.push_back(g.gid);
      }
    }
    return u;
  }
  return std::nullopt;
}

std::optional<LinuxUser> FindTreeUser(const TreeFs& tree, const std::string& who) {
  return FindLinuxUser(tree.ReadFile("/etc/passwd", kAccountFileLimit).value_or(""),
                       tree.ReadFile("/etc/group", kAccountFileLimit).value_or(""), who);
}

std::vector<std::string> LoginEnvironment(const LinuxUser& user, const std::string& term,
                                          const std::string& lang) {
  std::string path = user.uid == 0 ? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
                                   : "/usr/local/bin:/usr/bin:/bin:/usr/games";
  std::vector<std::string> env = {"HOME=" + user.home,    "USER=" + user.name,
                                  "LOGNAME=" + user.name, "SHELL=" + user.shell,
                                  "PATH=" + path,         "LANG=" + lang};
  if (!term.empty()) env.push_back("TERM=" + term);
  return env;
}

}  // namespace ljail::jail
