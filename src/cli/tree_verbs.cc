// ljail user | pkg | service: the inside of a jail's Linux tree, changed with
// the tree's own programs while the jail runs (jail/linux_setup.h).
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/verbs.h"
#include "core/error.h"
#include "core/strings.h"
#include "host/interrupt.h"
#include "jail/create_common.h"
#include "jail/linux_setup.h"
#include "jail/linux_users.h"
#include "jail/services.h"
#include "jailconf/document.h"
#include "jailconf/writer.h"
#include "runtime/runtime.h"

namespace ljail::cli {
namespace {

using nlohmann::ordered_json;

// The verbs' common start: the host, the jail, its runtime.
struct Target {
  host::Host host;
  std::optional<host::HostLock> lock;  ///< the jail's, while the verb changes it
  /// While the verb changes the jail, Ctrl-C stops the command in it (a
  /// jail started for the change is stopped again) and ends with exit 130.
  std::unique_ptr<host::InterruptScope> interrupts;
  jail::JailRecord jail;
  std::unique_ptr<host::Runtime> runtime;
};

// The jail a verb works on, locked first when the verb changes it.
Target Open(Context& c, const std::string& name, bool changes = true) {
  host::Host host = c.MakeHost();
  jail::JailRecord record = RequireJail(host, name);  // bad input refused before the lock
  std::optional<host::HostLock> lock;
  if (changes) {
    lock = c.LockJail(host, name);
    record = RequireJail(host, name);  // as it is now that it is ours
  }
  Target t{std::move(host), std::move(lock), nullptr, std::move(record), nullptr};
  if (changes) t.interrupts = std::make_unique<host::InterruptScope>();
  t.runtime = host::MakeRuntime(t.host);
  return t;
}

void DryRun(Context& c, const std::string& jail, const std::vector<std::string>& lines) {
  *c.out << "# in " << jail << "'s Linux tree (dry run: nothing is changed; a stopped jail "
         << "would be started for the change and stopped after)\n";
  for (const std::string& l : lines) *c.out << l << "\n";
}

// --- user ---------------------------------------------------------------

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
  Target t = Open(c, a.jail);
  if (c.options.dry_run) {
    DryRun(c, a.jail,
           {"groupadd/useradd " + a.user + " (ids checked against the tree's passwd and group)",
            "home /home/" + a.user + " from /etc/skel, every path ljail creates owned by " + a.user,
            a.request.sudo ? "sudo installed if missing; " + jail::SudoersPath(a.user) +
                                 " checked with visudo -cf before it is put in place"
                           : "no sudo"});
    return 0;
  }
  // A home on a host directory: the uid must not be another host user's.
  a.request.home_from_host = t.jail.SharesFromHost("/home/" + a.user);
  jail::RunningForChange running(*t.runtime, t.jail, *c.out);
  std::string passwd =
      t.runtime->ReadRunningTreeFile(t.jail, "/etc/passwd", jail::kAccountFileLimit);
  if (std::optional<jail::LinuxUser> u = jail::FindLinuxUser(passwd, "", a.user);
      u && (!a.request.uid || *a.request.uid == u->uid) &&
      jail::AccountUnfinished(*t.runtime, t.jail, *u, a.request)) {
    // An earlier `user add` stopped after useradd: this one finishes it.
    *c.out << fmt::format("user {} (uid {}) in {}: finishing its home{}\n", a.user, u->uid,
                          t.jail.name, a.request.sudo ? " and sudoers file" : "");
    jail::FinishAccount(*t.runtime, t.jail,
                        jail::AccountPlan{a.request, u->uid, u->gid, "", false, u->home}, *c.out);
    return 0;
  }
  jail::AccountPlan plan = jail::PlanAccountInTree(t.host, *t.runtime, t.jail, a.request);
  *c.out << fmt::format("user {} (uid {}, gid {} {}) in {}\n", plan.request.name, plan.uid,
                        plan.gid, plan.group_name, t.jail.name);
  jail::AddAccount(*t.runtime, t.jail, plan, *c.out);
  return 0;
}

int UserList(Context& c, const UserArgs& a) {
  Target t = Open(c, a.jail, false);
  jail::RunningForChange running(*t.runtime, t.jail, *c.err);
  std::string passwd =
      t.runtime->ReadRunningTreeFile(t.jail, "/etc/passwd", jail::kAccountFileLimit);
  ordered_json rows = ordered_json::array();
  for (const jail::PasswdEntry& u : jail::ReadPasswd(passwd)) {
    if (u.uid != 0 && !jail::IsPersonId(u.uid)) continue;  // system accounts, nobody
    host::ProcessResult owner = t.runtime->RunInTree(t.jail, {"stat", "-c", "%u", "--", u.home});
    bool sudo =
        t.runtime->RunInTree(t.jail, {"test", "-e", jail::SudoersPath(u.name)}).exit_code == 0;
    std::string home_state = owner.exit_code != 0 ? "missing"
                             : Trim(owner.out) == std::to_string(u.uid)
                                 ? "ok"
                                 : "owned by uid " + Trim(owner.out);
    rows.push_back({{"name", u.name},
                    {"uid", u.uid},
                    {"gid", u.gid},
                    {"home", u.home},
                    {"home_state", home_state},
                    {"shell", u.shell},
                    {"sudo", u.uid == 0 || sudo}});
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
  sub->callback([=] {
    *action = [=](Context& c) {
      jail::ValidateUserName(del->user);
      Target t = Open(c, del->jail);
      if (c.options.dry_run) {
        DryRun(c, del->jail,
               {"userdel " + del->user, "rm -f " + jail::SudoersPath(del->user),
                del->keep_home ? "home kept"
                               : "rm -rf --one-file-system HOME (never a home on a shared "
                                 "host directory)"});
        return 0;
      }
      jail::RunningForChange running(*t.runtime, t.jail, *c.out);
      jail::RemoveAccount(*t.runtime, t.jail, del->user, del->keep_home, *c.out);
      return 0;
    };
  });

  auto passwd = std::make_shared<UserArgs>();
  sub = group->add_subcommand("passwd", "Set a user's password with the tree's passwd(1)");
  sub->add_option("name", passwd->jail, "Jail name")->required();
  sub->add_option("user", passwd->user, "User name")->required();
  sub->callback([=] {
    *action = [=](Context& c) {
      jail::ValidateUserName(passwd->user);
      Target t = Open(c, passwd->jail);
      return t.runtime->Enter(t.jail, "", {"passwd", passwd->user}, false);
    };
  });
}

// --- pkg ----------------------------------------------------------------

void AddPkgVerb(CLI::App& app, Action* action) {
  struct PkgArgs {
    std::string jail, verb;
    std::vector<std::string> packages;
  };
  auto a = std::make_shared<PkgArgs>();
  CLI::App* pkg =
      app.add_subcommand("pkg", "apt inside the jail: pkg NAME install|remove|upgrade [PKG...]");
  pkg->add_option("name", a->jail, "Jail name")->required();
  pkg->add_option("verb", a->verb, "install, remove or upgrade")
      ->required()
      ->check(CLI::IsMember({"install", "remove", "upgrade"}));
  pkg->add_option("packages", a->packages, "Packages (upgrade: all when none)");
  pkg->callback([=] {
    *action = [=](Context& c) {
      for (const std::string& p : a->packages) jail::ValidatePackageName(p);
      if (a->verb != "upgrade" && a->packages.empty())
        ThrowUsage(fmt::format("pkg {}: name the packages", a->verb));
      Target t = Open(c, a->jail);
      std::vector<std::vector<std::string>> runs;
      if (a->verb != "remove") runs.push_back({"update"});
      std::vector<std::string> args;
      if (a->verb == "install") args = {"install", "-y"};
      if (a->verb == "remove") args = {"remove", "-y"};
      if (a->verb == "upgrade")
        args = a->packages.empty() ? std::vector<std::string>{"upgrade", "-y"}
                                   : std::vector<std::string>{"install", "-y", "--only-upgrade"};
      args.insert(args.end(), a->packages.begin(), a->packages.end());
      runs.push_back(args);
      if (c.options.dry_run) {
        std::vector<std::string> lines;
        lines.reserve(runs.size() + 1);
        for (const auto& r : runs)
          lines.push_back("DEBIAN_FRONTEND=noninteractive apt-get " + host::ShellQuote(r));
        lines.push_back("(with /usr/sbin/policy-rc.d exiting 101 while apt-get runs)");
        DryRun(c, a->jail, lines);
        return 0;
      }
      jail::RunningForChange running(*t.runtime, t.jail, *c.out);
      for (const auto& r : runs) jail::AptGet(*t.runtime, t.jail, r, *c.out);
      return 0;
    };
  });
}

// --- service ------------------------------------------------------------

bool ScriptIsOurs(const host::Runtime& rt, const jail::JailRecord& j, const std::string& svc) {
  return rt.RunInTree(j, {"grep", "-q", "written by ljail", "/etc/init.d/" + svc}).exit_code == 0;
}

// $ljail_services in the jail's file, with what the OS adds for it (on
// FreeBSD the exec lines that use it, for a jail whose file predates them).
void WriteServices(const host::Host& host, const host::Runtime& rt, const jail::JailRecord& j,
                   const std::vector<std::string>& services) {
  std::string text = host.ReadFile(j.config_file).value_or("");
  jailconf::ConfigDocument doc(j.config_file, text);
  doc.SetVariable(j.name, jail::kServicesVariable,
                  {jailconf::ConfValue::Literal(Join(services, " "))});
  rt.ConfEdits().KeepServices(doc, j.name, j.linux_dir);
  host.WriteFile(j.config_file, doc.text());
}

struct ServiceArgs {
  std::string jail, verb, service, command, user = "root";
  bool json = false;
};

int ServiceEnable(Context& c, const ServiceArgs& a, Target& t) {
  std::vector<std::string> services = t.jail.services;
  bool declared = std::find(services.begin(), services.end(), a.service) != services.end();
  if (c.options.dry_run) {
    DryRun(c, a.jail,
           {a.command.empty() ? "check /etc/init.d/" + a.service + " exists"
                              : "write /etc/init.d/" + a.service + " (start-stop-daemon, as " +
                                    a.user + "): " + a.command,
            "$ljail_services += " + a.service + " in " + t.jail.config_file,
            "start it now if the jail runs"});
    return 0;
  }
  bool was_running = t.runtime->IsRunning(t.jail);
  {
    jail::RunningForChange running(*t.runtime, t.jail, *c.out);
    std::string script = "/etc/init.d/" + a.service;
    bool exists = t.runtime->RunInTree(t.jail, {"test", "-e", script}).exit_code == 0;
    if (!a.command.empty()) {
      if (exists && !ScriptIsOurs(*t.runtime, t.jail, a.service))
        ThrowUsage(
            fmt::format("{} exists in the tree and is not ljail's: pick another name", script));
      std::string passwd =
          t.runtime->ReadRunningTreeFile(t.jail, "/etc/passwd", jail::kAccountFileLimit);
      if (!jail::FindLinuxUser(passwd, "", a.user))
        ThrowUsage(fmt::format("--user {}: no such user in {}'s tree", a.user, t.jail.name));
      t.runtime->MustInTree(
          t.jail, {"/bin/sh", "-c", "cat > \"$1\" && chmod 0755 \"$1\"", "sh", script},
          "writing " + script, jail::CommandInitScript(a.service, a.command, a.user));
      *c.out << "wrote " << script << " (runs: " << a.command << ", as " << a.user << ")\n";
    } else if (!exists) {
      ThrowUsage(fmt::format(
          "no {} in {}'s tree: install the package that has it (ljail pkg {} install ...) or "
          "give --command CMD",
          script, t.jail.name, t.jail.name));
    }
  }
  if (!declared) {
    services.push_back(a.service);
    WriteServices(t.host, *t.runtime, t.jail, services);
    *c.out << fmt::format("{} starts with {} ($ljail_services in {})\n", a.service, t.jail.name,
                          t.jail.config_file);
  } else {
    *c.out << a.service << " was enabled already\n";
  }
  if (was_running) jail::RunService(*t.runtime, t.jail, a.service, "start", *c.out);
  return 0;
}

int ServiceDisable(Context& c, const ServiceArgs& a, Target& t) {
  std::vector<std::string> services = t.jail.services;
  auto it = std::find(services.begin(), services.end(), a.service);
  if (it == services.end())
    ThrowUsage(fmt::format("{} is not enabled in {} (ljail service {} list)", a.service,
                           t.jail.name, t.jail.name));
  if (c.options.dry_run) {
    DryRun(c, a.jail,
           {"/etc/init.d/" + a.service + " stop (if the jail runs)",
            "remove it from $ljail_services", "rm its script if ljail wrote it"});
    return 0;
  }
  if (t.runtime->IsRunning(t.jail)) {
    jail::RunService(*t.runtime, t.jail, a.service, "stop", *c.out);
    if (ScriptIsOurs(*t.runtime, t.jail, a.service)) {
      t.runtime->MustInTree(t.jail, {"rm", "-f", "/etc/init.d/" + a.service}, "removing script");
      *c.out << "removed /etc/init.d/" << a.service << "\n";
    }
  }
  services.erase(it);
  WriteServices(t.host, *t.runtime, t.jail, services);
  *c.out << a.service << " no longer starts with " << t.jail.name << "\n";
  return 0;
}

int ServiceList(Context& c, const ServiceArgs& a, Target& t) {
  ordered_json rows = ordered_json::array();
  for (const std::string& s : t.jail.services) {
    rows.push_back({{"name", s},
                    {"state", jail::ServiceStateName(jail::QueryService(*t.runtime, t.jail, s))}});
  }
  if (a.json) {
    *c.out << rows.dump(2) << "\n";
    return 0;
  }
  if (rows.empty()) {
    *c.out << "no services enabled: ljail service " << t.jail.name << " enable SVC\n";
    return 0;
  }
  *c.out << fmt::format("{:<24} {}\n", "SERVICE", "STATE");
  for (const auto& r : rows)
    *c.out << fmt::format("{:<24} {}\n", r["name"].get<std::string>(),
                          r["state"].get<std::string>());
  return 0;
}

void AddServiceVerb(CLI::App& app, Action* action) {
  auto a = std::make_shared<ServiceArgs>();
  CLI::App* svc = app.add_subcommand(
      "service",
      "Linux services started with the jail: service NAME enable|disable|start|stop|list");
  svc->add_option("name", a->jail, "Jail name")->required();
  svc->add_option("verb", a->verb, "enable, disable, start, stop or list")
      ->required()
      ->check(CLI::IsMember({"enable", "disable", "start", "stop", "list"}));
  svc->add_option("service", a->service, "Script name in /etc/init.d");
  svc->add_option("--command", a->command,
                  "enable: run this command as the service (ljail writes its init script)");
  svc->add_option("--user", a->user, "enable --command: the user it runs as (default root)");
  svc->add_flag("--json", a->json, "list: print as JSON");
  svc->callback([=] {
    *action = [=](Context& c) {
      if (a->verb != "list") {
        if (a->service.empty()) ThrowUsage(fmt::format("service {}: name the service", a->verb));
        jail::ValidateServiceName(a->service);
      }
      if (!a->command.empty() && a->verb != "enable")
        ThrowUsage("--command is for `service NAME enable SVC`");
      Target t = Open(c, a->jail, a->verb != "list");
      if (a->verb == "enable") return ServiceEnable(c, *a, t);
      if (a->verb == "disable") return ServiceDisable(c, *a, t);
      if (a->verb == "list") return ServiceList(c, *a, t);
      if (!t.runtime->IsRunning(t.jail)) jail::ThrowNotRunning(t.jail.name);
      if (c.options.dry_run) {
        DryRun(c, a->jail, {"/etc/init.d/" + a->service + " " + a->verb});
        return 0;
      }
      jail::RunService(*t.runtime, t.jail, a->service, a->verb, *c.out);
      return 0;
    };
  });
}

}  // namespace

void AddTreeVerbs(CLI::App& app, Action* action) {
  AddUserVerbs(app, action);
  AddPkgVerb(app, action);
  AddServiceVerb(app, action);
}

}  // namespace ljail::cli
