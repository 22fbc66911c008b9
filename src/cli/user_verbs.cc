// ljail user add|list|del|passwd: the accounts of a jail's Linux tree,
// changed with the tree's own programs (jail/tree_changes.h).
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/tree_target.h"
#include "cli/verbs.h"
#include "core/strings.h"
#include "jail/account_list.h"
#include "jail/linux_account.h"
#include "jail/linux_setup.h"
#include "jail/linux_users.h"

namespace ljail::cli {
namespace {

using nlohmann::ordered_json;

struct UserArgs {
  std::string jail, user;
  jail::AccountRequest request;
  std::string groups;
  bool keep_home = false, json = false;
};

int UserAdd(Context& c, UserArgs a) {
  a.request.name = a.user;
  jail::ValidateUserName(a.user);
  if (!a.groups.empty()) a.request.groups = Split(a.groups, ',');
  if (a.request.nopasswd) a.request.sudo = true;
  Target t = OpenTarget(c, a.jail);
  // A home on a host directory: the uid must not be another host user's.
  a.request.home_from_host = t.jail.SharesFromHost("/home/" + a.user);
  ApplyTreeChange(c, t, jail::UserAddChange(t.host, t.At(), a.request));
  if (!c.options.dry_run) jail::NoteSudoPassword(*c.out, t.jail.name, a.request);
  return 0;
}

int UserDel(Context& c, const UserArgs& a) {
  jail::ValidateUserName(a.user);
  Target t = OpenTarget(c, a.jail);
  return ApplyTreeChange(c, t, jail::UserDelChange(t.At(), a.user, a.keep_home));
}

int UserList(Context& c, const UserArgs& a) {
  Target t = OpenTarget(c, a.jail, false);
  ordered_json rows = ordered_json::array();
  for (const jail::AccountInfo& info : jail::ListAccounts(*t.runtime, t.jail)) {
    const jail::PasswdEntry& u = info.entry;
    rows.push_back({{"name", u.name},
                    {"uid", u.uid},
                    {"gid", u.gid},
                    {"home", u.home},
                    {"home_state", info.home_state},
                    {"shell", u.shell},
                    {"sudo", info.sudo}});
  }
  if (a.json) {
    *c.out << rows.dump(2, ' ', false, ordered_json::error_handler_t::replace) << "\n";
    return 0;
  }
  *c.out << fmt::format("{:<16} {:>6} {:>6}  {:<22} {:<16} {:<5} {}\n", "USER", "UID", "GID",
                        "HOME", "HOME STATE", "SUDO", "SHELL");
  for (const auto& r : rows) {
    *c.out << fmt::format(
        "{:<16} {:>6} {:>6}  {:<22} {:<16} {:<5} {}\n", Printable(r["name"].get<std::string>()),
        r["uid"].get<uid_t>(), r["gid"].get<gid_t>(), Printable(r["home"].get<std::string>()),
        Printable(r["home_state"].get<std::string>()), r["sudo"].get<bool>() ? "yes" : "no",
        Printable(r["shell"].get<std::string>()));
  }
  return 0;
}

}  // namespace

void AddUserVerbs(Command app, Action* action) {
  Command group = app.AddSubcommand("user", "Users of a jail's Linux tree");
  group.RequireSubcommand(1);

  auto add = std::make_shared<UserArgs>();
  Command sub = group.AddSubcommand("add", "Add a user; home from /etc/skel, owned by it");
  sub.AddOption("name", add->jail, "Jail name").Required();
  sub.AddOption("user", add->user, "User name").Required();
  sub.AddOption("--uid", add->request.uid, "User id (default: first free from 1000)");
  sub.AddOption("--gid", add->request.gid, "Primary group id (an existing group, or a new one)");
  sub.AddOption("--groups", add->groups, "Supplementary groups of the tree").TypeName("G,...");
  sub.AddOption("--shell", add->request.shell, "Login shell (default /bin/bash)");
  sub.AddFlag("--sudo", add->request.sudo, "Let the user run sudo (with a password)");
  sub.AddFlag("--nopasswd", add->request.nopasswd, "sudo without a password (implies --sudo)");
  sub.AddFlag("--from-host", add->request.from_host,
              "uid/gid of the host's user of that name (a shared /home keeps its owners)");
  sub.Callback([=] { *action = [=](Context& c) { return UserAdd(c, *add); }; });

  auto list = std::make_shared<UserArgs>();
  sub = group.AddSubcommand("list", "Users of the tree (root and uids 1000-59999)");
  sub.AddOption("name", list->jail, "Jail name").Required();
  sub.AddFlag("--json", list->json, "Print as JSON");
  sub.Callback([=] { *action = [=](Context& c) { return UserList(c, *list); }; });

  auto del = std::make_shared<UserArgs>();
  sub = group.AddSubcommand("del", "Remove a user, its sudoers file and (unless kept) its home");
  sub.AddOption("name", del->jail, "Jail name").Required();
  sub.AddOption("user", del->user, "User name").Required();
  sub.AddFlag("--keep-home", del->keep_home, "Keep the home directory");
  sub.Callback([=] { *action = [=](Context& c) { return UserDel(c, *del); }; });

  auto passwd = std::make_shared<UserArgs>();
  sub = group.AddSubcommand("passwd", "Set a user's password with the tree's passwd(1)");
  sub.AddOption("name", passwd->jail, "Jail name").Required();
  sub.AddOption("user", passwd->user, "User name").Required();
  sub.Callback([=] {
    *action = [=](Context& c) {
      jail::ValidateUserName(passwd->user);
      Target t = OpenTarget(c, passwd->jail);
      return t.runtime->Enter(t.jail, "", {"passwd", passwd->user}, false);
    };
  });
}

}  // namespace ljail::cli
