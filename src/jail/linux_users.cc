#include "jail/linux_users.h"

#include <algorithm>

#include "core/strings.h"

namespace ljail::jail {
namespace {

// A uid or gid as the kernel can hold one: 0..4294967294 ((uid_t)-1 is
// "none"). Anything larger would wrap: 4294967296 is not root.
bool ParseId(const std::string& text, unsigned long* out) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) return false;
  try {
    *out = std::stoul(text);
  } catch (const std::exception&) {
    return false;
  }
  return *out <= 4294967294UL;
}

}  // namespace

std::optional<LinuxUser> FindLinuxUser(const std::string& passwd, const std::string& group,
                                       const std::string& who) {
  unsigned long wanted_uid = 0;
  bool by_uid = ParseId(who, &wanted_uid);
  for (const std::string& line : SplitLines(passwd)) {
    std::vector<std::string> f = Split(line, ':');
    if (f.size() < 7 || f[0].empty()) continue;  // passwd(5): every entry has a name
    unsigned long uid = 0, gid = 0;
    if (!ParseId(f[2], &uid) || !ParseId(f[3], &gid)) continue;
    if (!(f[0] == who || (by_uid && uid == wanted_uid))) continue;
    LinuxUser u{f[0], static_cast<uid_t>(uid),  static_cast<gid_t>(gid), f[5],
                f[6], {static_cast<gid_t>(gid)}};
    if (u.shell.empty()) u.shell = "/bin/sh";
    if (u.home.empty()) u.home = "/";
    for (const std::string& gline : SplitLines(group)) {
      std::vector<std::string> g = Split(gline, ':');
      unsigned long id = 0;
      if (g.size() < 4 || !ParseId(g[2], &id)) continue;
      std::vector<std::string> members = Split(g[3], ',');
      if (std::find(members.begin(), members.end(), u.name) != members.end() &&
          std::find(u.groups.begin(), u.groups.end(), static_cast<gid_t>(id)) == u.groups.end()) {
        u.groups.push_back(static_cast<gid_t>(id));
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
