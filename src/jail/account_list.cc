#include "jail/account_list.h"

#include <sys/stat.h>

#include <charconv>
#include <optional>

#include "core/strings.h"
#include "jail/linux_account.h"

namespace ljail::jail {
namespace {

std::string OwnerState(std::optional<uid_t> owner, uid_t uid) {
  if (!owner) return "missing";
  return *owner == uid ? "ok" : "owned by uid " + std::to_string(*owner);
}

std::vector<AccountInfo> WhileRunning(const JailControl& control, const JailRecord& jail) {
  std::vector<AccountInfo> out;
  std::string passwd = control.ReadRunningTreeFile(jail, "/etc/passwd", kAccountFileLimit);
  for (const PasswdEntry& u : ReadPasswd(passwd)) {
    if (u.uid != 0 && !IsPersonId(u.uid)) continue;  // system accounts, nobody
    host::ProcessResult stat = control.RunInTree(jail, {"stat", "-c", "%u", "--", u.home});
    std::optional<uid_t> owner;
    std::string printed = Trim(stat.out);
    uid_t id = 0;
    auto [end, ec] = std::from_chars(printed.data(), printed.data() + printed.size(), id);
    if (stat.exit_code == 0 && ec == std::errc() && end == printed.data() + printed.size())
      owner = id;
    bool sudo = control.RunInTree(jail, {"test", "-e", SudoersPath(u.name)}).exit_code == 0;
    out.push_back({u, OwnerState(owner, u.uid), u.uid == 0 || sudo});
  }
  return out;
}

std::vector<AccountInfo> AtRest(const JailControl& control, const JailRecord& jail) {
  std::vector<AccountInfo> out;
  TreeFs tree = control.RestingTree(jail);
  for (const PasswdEntry& u :
       ReadPasswd(tree.ReadFile("/etc/passwd", kAccountFileLimit).value_or(""))) {
    if (u.uid != 0 && !IsPersonId(u.uid)) continue;
    std::string state;
    if (jail.SharesFromHost(u.home)) {
      state = "shared from the host (seen when the jail runs)";
    } else {
      std::optional<struct stat> st = u.home.empty() ? std::nullopt : tree.Status(u.home);
      state = OwnerState(st ? std::optional<uid_t>(st->st_uid) : std::nullopt, u.uid);
    }
    bool sudo = tree.Status(SudoersPath(u.name)).has_value();
    out.push_back({u, state, u.uid == 0 || sudo});
  }
  return out;
}

}  // namespace

std::vector<AccountInfo> ListAccounts(const JailControl& control, const JailRecord& jail) {
  return control.IsRunning(jail) ? WhileRunning(control, jail) : AtRest(control, jail);
}

}  // namespace ljail::jail
