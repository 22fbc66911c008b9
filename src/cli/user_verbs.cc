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

void AddUserVerbs(CLI::App& app, Action* action) {
  CLI::App* group = app.add_subcommand("user", "Users of a jail's Linux tree");
  group->require_subcommand(1);

  auto add = std::make_shared<UserArgs>();
  CLI::App* sub = group->add_subcommand("add", "Add a user; home from /etc/skel, owned by it");
  sub->add_option("name", add->jail, "Jail name")->required();
  sub->add_option("user", add->user, "User name")->required();
  sub->add_option("--uid", add->request.uid, "User id (default: first free from 1000)");
  sub->add_option("--gid", add->request.gid, "Primary group id (an existing group, or a new one)");
  sub->add_option("--groups", add->groups, "Supplementary groups of the tree")->type_name("G,...");
  sub->add_option("--shell", add->request.shell, "Login shell (default /bin/bash)");
  sub->add_flag("--sudo", add->request.sudo, "Let the user run sudo (with a password)");
  sub->add_flag("--nopasswd", add->request.nopasswd, "sudo without a password (implies --sudo)");
  sub->add_flag("--from-host", add->request.from_host,
                "uid/gid of the host's user of that name (a shared /home keeps its owners)");
  sub->callback([=] { *action = [=](Context& c) { return UserAdd(c, *add); }; });

  auto list = std::make_shared<UserArgs>();
  sub = group->add_subcommand("list", "Users of the tree (root and uids 1000-59999)");
  sub->add_option("name", list->jail, "Jail name")->required();
  sub->add_flag("--json", list->json, "Print as JSON");
  sub->callback([=] { *action = [=](Context& c) { return UserList(c, *list); }; });

  auto del = std::make_shared<UserArgs>();
  sub = group->add_subcommand("del", "Remove a user, its sudoers file and (unless kept) its home");
  sub->add_option("name", del->jail, "Jail name")->required();
  sub->add_option("user", del->user, "User name")->required();
  sub->add_flag("--keep-home", del->keep_home, "Keep the home directory");
  sub->callback([=] { *action = [=](Context& c) { return UserDel(c, *del); }; });

  auto passwd = std::make_shared<UserArgs>();
  sub = group->add_subcommand("passwd", "Set a user's password with the tree's passwd(1)");
  sub->add_option("name", passwd->jail, "Jail name")->required();
  sub->add_option("user", passwd->user, "User name")->required();
  sub->callback([=] {
    *action = [=](Context& c) {
      jail::ValidateUserName(passwd->user);
      Target t = OpenTarget(c, passwd->jail);
      return t.runtime->Enter(t.jail, "", {"passwd", passwd->user}, false);
    };
  });
}

}  // namespace ljail::cli
