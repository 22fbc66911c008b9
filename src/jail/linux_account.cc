#include "jail/linux_account.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "core/error.h"
#include "core/strings.h"
#include "jail/linux_users.h"

namespace ljail::jail {
namespace {

struct DbEntry {
  std::string name;
  unsigned long id = 0;
  unsigned long gid = 0;  ///< passwd only
};

unsigned long RequireId(const std::string& text, const std::string& what) {
  std::optional<unsigned long> v = ParseAccountId(text);
  if (!v) ThrowUsage(fmt::format("{} \"{}\": not a number from 0 to 4294967294", what, text));
  return *v;
}

// The accounts of a passwd text, read by the one passwd reader.
std::vector<DbEntry> Users(const std::string& passwd) {
  std::vector<DbEntry> out;
  for (const PasswdEntry& e : ReadPasswd(passwd)) out.push_back({e.name, e.uid, e.gid});
  return out;
}

std::vector<DbEntry> Groups(const std::string& group) {
  std::vector<DbEntry> out;
  for (const GroupEntry& e : ReadGroup(group)) out.push_back({e.name, e.gid, 0});
  return out;
}

const DbEntry* ByName(const std::vector<DbEntry>& db, const std::string& name) {
  auto it = std::find_if(db.begin(), db.end(), [&](const DbEntry& e) { return e.name == name; });
  return it == db.end() ? nullptr : &*it;
}

const DbEntry* ById(const std::vector<DbEntry>& db, unsigned long id) {
  auto it = std::find_if(db.begin(), db.end(), [&](const DbEntry& e) { return e.id == id; });
  return it == db.end() ? nullptr : &*it;
}

unsigned long FirstFree(const std::vector<DbEntry>& a, const std::vector<DbEntry>& b,
                        const std::string& what) {
  // Debian's adduser.conf FIRST_UID..LAST_UID (and the same for gids).
  for (unsigned long id = kFirstPersonId; id <= kLastPersonId; ++id) {
    if (!ById(a, id) && !ById(b, id)) return id;
  }
  ThrowUsage(fmt::format("no free {} left from {} to {}", what, kFirstPersonId, kLastPersonId));
}

}  // namespace

void ValidateUserName(const std::string& name) {
  bool ok = !name.empty() && name.size() <= 32 && name[0] >= 'a' && name[0] <= 'z';
  for (char c : name) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_');
  }
  if (!ok) {
    ThrowUsage(fmt::format(
        "user name \"{}\": use a lower-case letter, then lower-case letters, digits, '-' or '_' "
        "(at most 32), as Debian's adduser does",
        name));
  }
}

AccountRequest ParseUserSpec(const std::string& text) {
  std::vector<std::string> parts = Split(text, ':');
  if (parts.empty() || parts.size() > 3)
    ThrowUsage(fmt::format("--user \"{}\": give USER, USER:UID or USER:UID:GID", text));
  AccountRequest r;
  r.name = parts[0];
  ValidateUserName(r.name);
  if (parts.size() > 1) r.uid = static_cast<uid_t>(RequireId(parts[1], "--user " + text + ": uid"));
  if (parts.size() > 2) r.gid = static_cast<gid_t>(RequireId(parts[2], "--user " + text + ": gid"));
  return r;
}

AccountPlan PlanAccount(const AccountRequest& request, const std::string& passwd,
                        const std::string& group, const std::string& host_passwd) {
  ValidateUserName(request.name);
  if (!request.shell.starts_with("/"))
    ThrowUsage(fmt::format("--shell {}: give the program's absolute path", request.shell));
  std::vector<DbEntry> users = Users(passwd), groups = Groups(group);
  AccountPlan plan{request, 0, 0, request.name, false, "/home/" + request.name};
  if (const DbEntry* e = ByName(users, request.name)) {
    ThrowUsage(
        fmt::format("user {} exists already in the tree (uid {}); ljail user list shows them",
                    request.name, e->id));
  }

  std::optional<unsigned long> uid = request.uid, gid = request.gid;
  if (request.from_host) {
    std::vector<DbEntry> host_users = Users(host_passwd);
    const DbEntry* h = ByName(host_users, request.name);
    if (!h) ThrowUsage(fmt::format("--from-host: the host has no user {}", request.name));
    if (uid && *uid != h->id)
      ThrowUsage(
          fmt::format("--from-host: {} has uid {} on the host, not {}", request.name, h->id, *uid));
    uid = h->id;
    if (!gid) gid = h->gid;
  }
  if (uid) {
    if (*uid == 0) ThrowUsage("uid 0 is root's: give another uid");
    if (const DbEntry* e = ById(users, *uid))
      ThrowUsage(fmt::format("uid {} belongs to {} in the tree already", *uid, e->name));
  } else {
    uid = FirstFree(users, {}, "uid");
  }
  plan.uid = static_cast<uid_t>(*uid);
  if (request.home_from_host) {
    std::vector<DbEntry> host_users = Users(host_passwd);
    const DbEntry* owner = ById(host_users, plan.uid);
    if (owner && owner->name != request.name) {
      const DbEntry* same = ByName(host_users, request.name);
      ThrowUsage(fmt::format(
          "uid {} is {}'s on the host, and /home is shared with the jail: {} would own {}'s "
          "files there; give {}",
          plan.uid, Printable(owner->name), request.name, Printable(owner->name),
          same ? fmt::format("{}'s host uid ({}:{}, or --from-host)", request.name, request.name,
                             same->id)
               : fmt::format("a uid no host user has ({}:UID)", request.name)));
    }
  }

  if (gid) {
    // An existing group becomes the primary group, as `useradd -g` does.
    if (const DbEntry* e = ById(groups, *gid)) {
      plan.group_name = e->name;
    } else if (const DbEntry* same = ByName(groups, request.name)) {
      ThrowUsage(fmt::format("group {} exists with gid {}, not {}", request.name, same->id, *gid));
    } else {
      plan.create_group = true;
    }
  } else if (const DbEntry* same = ByName(groups, request.name)) {
    ThrowUsage(fmt::format(
        "a group named {} exists already (gid {}): give --gid {} to make it the primary group",
        request.name, same->id, same->id));
  } else {
    gid = ById(groups, *uid) ? FirstFree(groups, {}, "gid") : *uid;
    plan.create_group = true;
  }
  plan.gid = static_cast<gid_t>(*gid);

  std::set<std::string> seen;
  for (const std::string& g : request.groups) {
    if (!ByName(groups, g))
      ThrowUsage(fmt::format("--groups {}: no group {} in the tree", Join(request.groups, ","), g));
    if (!seen.insert(g).second) ThrowUsage(fmt::format("--groups: {} is given twice", g));
  }
  return plan;
}

std::vector<std::vector<std::string>> AccountCommands(const AccountPlan& plan) {
  std::vector<std::vector<std::string>> out;
  if (plan.create_group)
    out.push_back({"groupadd", "--gid", std::to_string(plan.gid), plan.group_name});
  std::vector<std::string> useradd = {"useradd",
                                      "--uid",
                                      std::to_string(plan.uid),
                                      "--gid",
                                      std::to_string(plan.gid),
                                      "--shell",
                                      plan.request.shell,
                                      "--home-dir",
                                      plan.home,
                                      "--no-create-home"};
  if (!plan.request.groups.empty()) {
    useradd.push_back("--groups");
    useradd.push_back(Join(plan.request.groups, ","));
  }
  useradd.push_back(plan.request.name);
  out.push_back(useradd);
  return out;
}

const char* HomeScript() {
  return R"sh(set -u
home=$1 uid=$2 gid=$3
if [ -L "$home" ] || { [ -e "$home" ] && [ ! -d "$home" ]; }; then
  echo "$home exists and is not a directory" >&2; exit 3
fi
if [ -d "$home" ]; then
  owner=$(stat -c %u "$home") || exit 1
  if [ "$owner" != 0 ] && [ "$owner" != "$uid" ]; then
    echo "$home belongs to uid $owner, not $uid: left alone (chown -R $uid:$gid $home gives it)" >&2
    exit 4
  fi
else
  mkdir -p "${home%/*}" && mkdir -m 0700 "$home" || exit 1
  echo "created $home"
fi
if [ "$(stat -c %u:%g "$home")" != "$uid:$gid" ]; then
  chown "$uid:$gid" "$home" || exit 1
  echo "gave $home to $uid:$gid"
fi
cd /etc/skel 2>/dev/null || exit 0
# The copies are made as the user (setpriv, util-linux): a link the user
# plants in the home meanwhile leads nowhere the user could not write.
command -v setpriv >/dev/null || { echo "no setpriv (util-linux) in the tree" >&2; exit 1; }
setpriv --reuid="$uid" --regid="$gid" --clear-groups /bin/sh -c '
home=$1
find . -mindepth 1 | sort | while IFS= read -r p; do
  t="$home/${p#./}"
  [ -e "$t" ] || [ -L "$t" ] && continue
  if [ -d "$p" ] && [ ! -L "$p" ]; then mkdir -m "$(stat -c %a "$p")" "$t"
  else cp -P --preserve=mode,timestamps "$p" "$t"; fi || exit 1
  echo "created $t"
done' sh "$home" || exit 1
others=$(find "$home" ! -uid "$uid" 2>/dev/null | head -n 5)
if [ -n "$others" ]; then
  printf 'kept as they are (not made by ljail, not owned by %s):\n%s\n' "$uid" "$others"
fi
exit 0
)sh";
}

std::string SudoersPath(const std::string& user) {
  std::string file = user;
  std::replace(file.begin(), file.end(), '.', '_');
  return "/etc/sudoers.d/ljail-" + file;
}

std::string SudoersContent(const std::string& user, bool nopasswd) {
  return fmt::format(
      "# Written by ljail (`ljail user add ... --sudo`); `ljail user del` removes it.\n"
      "{} ALL=(ALL:ALL) {}ALL\n",
      user, nopasswd ? "NOPASSWD: " : "");
}

const char* InstallSudoersScript() {
  return R"sh(set -u
tmp=$1 final=$2
umask 0227
rm -f "$tmp"
cat > "$tmp" || { rm -f "$tmp"; exit 1; }
if ! visudo -cf "$tmp" >/dev/null; then rm -f "$tmp"; exit 1; fi
chown root:root "$tmp" && chmod 0440 "$tmp" && mv -f "$tmp" "$final" || { rm -f "$tmp"; exit 1; }
)sh";
}

}  // namespace ljail::jail
