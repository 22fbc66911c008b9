// ljail create | destroy | start | stop | restart | list | info | shell | exec.
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/verbs.h"
#include "core/error.h"
#include "core/jail_spec.h"
#include "core/strings.h"
#include "host/settings.h"
#include "host/storage.h"
#include "jail/discovery.h"
#include "jail/linux_account.h"
#include "runtime/runtime.h"

namespace ljail::cli {
namespace {

using nlohmann::ordered_json;

struct CreateArgs {
  jail::CreateOptions options;
  std::vector<std::string> ip4;
  std::string ip6;  ///< "" = not given: inherit when the host has IPv6
  std::vector<std::string> shares;
  std::string include;
  std::string distro = "debian";
  std::string suite;
  std::string user;
  bool sudo = false, nopasswd = false;
  std::string packages;
};

int Create(Context& c, CreateArgs args) {
  host::Host host = c.MakeHost();
  Settings settings = LoadHostSettings(host);
  JailSpec& spec = args.options.spec;
  ValidateJailName(spec.name);
  std::vector<std::string> command = {"ljail"};
  command.insert(command.end(), c.options.command_line.begin(), c.options.command_line.end());
  args.options.finish_command = host::ShellQuote(command);
  for (const std::string& a : args.ip4) spec.ip4.push_back(ParseIp4(a));
  // Not given: the host's create decides (inherit, or disable on a FreeBSD
  // kernel without IPv6).
  spec.ip6 = args.ip6.empty() ? "" : ParseIp6(args.ip6);
  for (const std::string& s : args.shares) spec.shares.push_back(ParseShare(s));
  if (!spec.interface.empty() && spec.ip4.empty()) {
    ThrowUsage("--interface needs an address to put on it (--ip4)");
  }
  if (!args.user.empty()) {
    jail::AccountRequest request = jail::ParseUserSpec(args.user);
    request.sudo = args.sudo || args.nopasswd;
    request.nopasswd = args.nopasswd;
    for (const Share& s : spec.shares) {
      std::string home = "/home/" + request.name;
      request.home_from_host = request.home_from_host || s.jail_dir == "/home" ||
                               s.jail_dir == home || home.starts_with(s.jail_dir + "/");
    }
    args.options.setup.user = request;
  } else if (args.sudo || args.nopasswd) {
    ThrowUsage("--sudo and --nopasswd are for the user of --user USER[:UID[:GID]]");
  }
  if (!args.packages.empty()) args.options.setup.packages = Split(args.packages, ',');
  if (args.options.setup.user_ping) spec.raw_sockets = true;
  if (!spec.template_key.empty() && (!args.suite.empty() || !args.include.empty())) {
    ThrowUsage(
        fmt::format("--template {} fixes the distro, suite and packages of the tree: "
                    "drop --suite and --include, or drop --template",
                    spec.template_key));
  }
  if (spec.template_key.empty()) {
    if (args.suite.empty())
      ThrowUsage("give --distro and --suite (e.g. --suite bookworm), or --template NAME");
    args.options.template_options.distro_suite = args.distro + ":" + args.suite;
    if (!args.include.empty()) args.options.template_options.include = Split(args.include, ',');
  }
  // Planned once to refuse bad input before anything (a lock file too) is
  // made; then again under the jail's lock and the host's (the template, an
  // epair, a bridge), so that the plan run sees what another create did.
  std::unique_ptr<host::Runtime> runtime = host::MakeRuntime(host);
  host::Plan plan = runtime->CreatePlan(settings, args.options);
  std::optional<host::HostLock> jail_lock = c.LockJail(host, spec.name);
  std::optional<host::HostLock> host_lock = c.LockHost(host);
  if (jail_lock) plan = runtime->CreatePlan(settings, args.options);
  return c.Apply(plan, host);
}

// "partial": a create stopped before its setup steps were done.
const char* StateName(const host::JailState& s) {
  if (!s.record.partial.empty()) return "partial";
  return s.running ? "running" : (s.storage_present ? "stopped" : "missing");
}

// One set of keys on both hosts (docs/json.md).
ordered_json StatusJson(const host::JailState& s) {
  const jail::JailRecord& r = s.record;
  ordered_json j = {{"name", r.name}, {"state", StateName(s)}, {"jid", s.running ? s.id : 0}};
  j.update(ordered_json{{"hostname", r.hostname},
                        {"ip4", r.ip4},
                        {"ip6", r.ip6.empty() ? ordered_json(r.ip6_mode) : ordered_json(r.ip6)},
                        {"distro", r.distro},
                        {"suite", r.suite},
                        {"template", r.template_name},
                        {"release", r.release},
                        {"path", r.path},
                        {"linux", r.linux_dir},
                        {"config", r.config_file},
                        {"managed", r.managed},
                        {"origin", s.origin},
                        {"finish", r.partial},
                        {"problems", r.problems}});
  ordered_json limits = ordered_json::object();
  for (const auto& [resource, amount] : LimitList(r.limits)) limits[resource] = amount;
  j["limits"] = limits;
  return j;
}

int List(Context& c, bool json) {
  host::Host host = c.MakeHost();
  Settings settings = LoadHostSettings(host);
  std::unique_ptr<host::Runtime> runtime = host::MakeRuntime(host);
  std::vector<host::JailState> jails = runtime->List(settings);
  if (json) {
    ordered_json out = ordered_json::array();
    for (const auto& s : jails) out.push_back(StatusJson(s));
    *c.out << out.dump(2) << "\n";
    return 0;
  }
  if (jails.empty()) {
    *c.out << "no Linux jails yet: ljail create NAME --suite bookworm\n";
    return 0;
  }
  *c.out << fmt::format("{:<14} {:<8} {:>7}  {:<24} {:<18} {:<16} {}\n", "NAME", "STATE", "JID",
                        "HOSTNAME", "ADDRESS", "LINUX", "TEMPLATE");
  for (const auto& s : jails) {
    const jail::JailRecord& r = s.record;
    // No address of its own: the host's (ip4=inherit; on Linux, no vnet).
    std::string address = r.ip4.empty() ? "inherit" : r.ip4.front();
    *c.out << fmt::format("{:<14} {:<8} {:>7}  {:<24} {:<18} {:<16} {}\n", r.name, StateName(s),
                          s.running ? std::to_string(s.id) : "-", r.hostname, address,
                          r.distro + (r.suite.empty() ? "" : " " + r.suite),
                          r.managed ? r.template_name : "(made by hand)");
  }
  for (const auto& s : jails) {
    if (!s.record.partial.empty())
      *c.out << fmt::format("{} is partial (its create stopped): {} finishes it\n", s.record.name,
                            Printable(s.record.partial));
  }
  return 0;
}

// `info`'s block: one "key: value" line per field that has a value, a
// list of several one item per line below its key, strings made printable.
std::string InfoText(const ordered_json& j) {
  std::string text;
  auto scalar = [](const ordered_json& v) {
    if (v.is_string()) return Printable(v.get<std::string>());
    if (v.is_boolean()) return std::string(v.get<bool>() ? "yes" : "no");
    return v.dump();
  };
  for (const auto& [key, value] : j.items()) {
    if (value.is_null() || (value.is_string() && value.get<std::string>().empty()) ||
        (value.is_structured() && value.empty()) || (key == "jid" && value == 0))
      continue;
    if (value.is_array() && value.size() == 1) {
      text += fmt::format("{:<10} {}\n", key + ":", scalar(value[0]));
    } else if (value.is_array()) {
      text += key + ":\n";
      for (const auto& item : value) text += "  " + scalar(item) + "\n";
    } else if (value.is_object()) {
      std::string line;
      for (const auto& [k, v] : value.items())
        line += (line.empty() ? "" : " ") + k + "=" + scalar(v);
      text += fmt::format("{:<10} {}\n", key + ":", line);
    } else {
      text += fmt::format("{:<10} {}\n", key + ":", scalar(value));
    }
  }
  return text;
}

int Info(Context& c, const std::string& name, bool json) {
  host::Host host = c.MakeHost();
  Settings settings = LoadHostSettings(host);
  ValidateJailName(name);
  std::unique_ptr<host::Runtime> runtime = host::MakeRuntime(host);
  for (const auto& s : runtime->List(settings)) {
    if (s.record.name != name) continue;
    ordered_json j = StatusJson(s);
    j["mounts"] = s.record.mounts;
    *c.out << (json ? j.dump(2) + "\n" : InfoText(j));
    return 0;
  }
  ThrowUsage(fmt::format("no jail \"{}\" (ljail list)", name));
}

}  // namespace

jail::JailRecord RequireJail(const host::Host& host, const std::string& name) {
  ValidateJailName(name);
  std::optional<jail::JailRecord> r = jail::FindJail(host, name);
  if (!r) ThrowUsage(fmt::format("no jail \"{}\" (ljail list)", name));
  return *r;
}

void AddCreateVerb(Command app, Action* action) {
  auto args = std::make_shared<CreateArgs>();
  JailSpec& spec = args->options.spec;
  Command create =
      app.AddSubcommand("create", "Create a Linux jail (builds missing templates first)");
  create.AddOption("name", spec.name, "Jail name").Required();
  create.AddOption("--distro", args->distro, "debian (default) or ubuntu");
  create.AddOption("--suite", args->suite, "bookworm, trixie, jammy, noble...");
  create.AddOption("--template", spec.template_key,
                   "Use an existing Linux template (ljail template list)");
  create.AddOption("--include", args->include, "Extra packages for a template built now")
      .TypeName("PKG,...");
  create.AddOption("--release", spec.release,
                   "FreeBSD release of the jail (default: settings, else the host's)");
  create
      .AddOption("--release-file", args->options.release_file,
                 "base.txz to use if the release template is missing")
      .TypeName("FILE");
  create.AddOption("--hostname", spec.hostname, "Host name (default: the jail name)");
  create.AddOption("--ip4", args->ip4,
                   "IPv4 address ADDR[/LEN] (repeatable; default: share the host's)");
  create.AddOption("--interface", spec.interface, "Interface jail(8) puts the addresses on");
  create.AddOption("--ip6", args->ip6, "inherit (default), disable, or ADDR[/LEN]");
  create.AddFlag("--vnet", spec.vnet,
                 "A network stack of its own; with --ip4 ADDR/LEN, linked to --bridge");
  create.AddOption("--bridge", spec.bridge,
                   std::string("vnet: the host bridge to join (made if missing; default ") +
                       kDefaultBridge + ")");
  create.AddOption("--gateway", spec.gateway, "vnet: the default route's address");
  create.AddFlag("--raw-sockets", spec.raw_sockets,
                 "allow.raw_sockets: raw sockets (ping) for the jail's root");
  create.AddFlag("--userns", spec.userns,
                 "Linux hosts: a user namespace of its own (root inside is no host user)");
  create.AddFlag("--user-ping", args->options.setup.user_ping,
                 "ping for users too: a setuid ping (implies --raw-sockets)");
  create.AddOption("--share", args->shares,
                   "HOSTDIR[:JAILDIR][:ro] shared into the Linux tree (repeatable)");
  create
      .AddOption("--user", args->user,
                 "A user of the Linux tree, home from /etc/skel (uid: first free from 1000)")
      .TypeName("USER[:UID[:GID]]");
  create.AddFlag("--sudo", args->sudo, "Let --user use sudo (installs it; with a password)");
  create.AddFlag("--nopasswd", args->nopasswd, "sudo without a password (implies --sudo)");
  create.AddOption("--timezone", spec.timezone, "Time zone of the tree (default: the host's)")
      .TypeName("ZONE");
  create.AddOption("--locale", args->options.setup.locale,
                   "C.UTF-8 (default) or e.g. zh_CN.UTF-8 (installs and generates it)");
  create.AddOption("--dns", spec.dns,
                   "copy (default: the host's resolvers at every start), static:ADDR[,ADDR], "
                   "or none");
  create.AddOption("--packages", args->packages, "Packages apt installs into the new jail")
      .TypeName("PKG,...");
  create.Callback([=] { *action = [=](Context& c) { return Create(c, *args); }; });
}

void AddDestroyVerb(Command app, Action* action) {
  auto name = std::make_shared<std::string>();
  auto force = std::make_shared<bool>(false);
  Command destroy = app.AddSubcommand(
      "destroy", "Delete a jail (a running one only with -f); never through a mount");
  destroy.AddOption("name", *name, "Jail name").Required();
  destroy.AddFlag("-f,--force", *force,
                  "Destroy a running jail (stopped first); FreeBSD: force unmounting what stays "
                  "mounted below it");
  destroy.Callback([=] {
    *action = [=](Context& c) {
      host::Host host = c.MakeHost();
      Settings settings = LoadHostSettings(host);
      RequireJail(host, *name);  // bad input refused before the lock
      std::optional<host::HostLock> jail_lock = c.LockJail(host, *name);
      std::optional<host::HostLock> host_lock = c.LockHost(host);
      int code = c.Apply(
          host::MakeRuntime(host)->DestroyPlan(settings, RequireJail(host, *name), *force), host);
      if (jail_lock) jail_lock->RemoveFile();  // nothing of the jail stays
      return code;
    };
  });
}

namespace {

// start, stop, restart NAME... or --all: every jail is tried, one result
// line each, and the exit status is 1 when any failed (usage errors and an
// interruption end the command at once).
int RunVerb(Context& c, const std::string& verb, const std::vector<std::string>& given, bool all) {
  if (all == !given.empty())
    ThrowUsage(fmt::format("{}: name the jails, or give --all (not both)", verb));
  host::Host host = c.MakeHost();
  std::unique_ptr<host::Runtime> runtime = host::MakeRuntime(host);
  std::vector<std::string> names = given;
  if (all) {
    for (const jail::JailRecord& r : jail::DiscoverJails(host)) names.push_back(r.name);
  }
  for (const std::string& n : names) RequireJail(host, n);  // all known, before a lock
  std::vector<jail::JailRecord> jails;
  std::vector<std::optional<host::HostLock>> locks;
  for (const std::string& n : names) {
    locks.push_back(c.LockJail(host, n));
    jails.push_back(RequireJail(host, n));
  }
  std::vector<std::string> failed;
  for (const jail::JailRecord& j : jails) {
    if (c.options.dry_run) {
      if (verb != "start") *c.out << "# would stop " << j.name << "\n";
      if (verb != "stop") {
        *c.out << "# would start " << j.name << ":\n";
        for (const std::string& line : runtime->DescribeStart(j)) *c.out << line << "\n";
      }
      continue;
    }
    try {
      if (verb != "start") runtime->Stop(j, *c.out);
      if (verb != "stop") runtime->Start(j, *c.out);
    } catch (const Error& e) {
      if (e.code() == ExitCode::kInterrupted || jails.size() == 1) throw;
      *c.err << fmt::format("ljail: {} {}: {}\n", verb, j.name, e.what());
      failed.push_back(j.name);
    }
  }
  if (failed.empty()) return 0;
  *c.err << fmt::format("ljail: {}: {} of {} jails failed: {}\n", verb, failed.size(), jails.size(),
                        Join(failed, ", "));
  return 1;
}

}  // namespace

void AddRunVerbs(Command app, Action* action) {
  for (const char* verb : {"start", "stop", "restart"}) {
    auto names = std::make_shared<std::vector<std::string>>();
    std::string v = verb;
    Command sub = app.AddSubcommand(
        v,
        fmt::format("{} jails (FreeBSD: rc.d/jail; Linux: the keeper)", v == "restart" ? "Restart"
                                                                        : v == "start" ? "Start"
                                                                                       : "Stop"));
    auto all = std::make_shared<bool>(false);
    sub.AddOption("names", *names, "Jail names");
    sub.AddFlag("--all", *all, "Every Linux jail of the host");
    sub.Callback([=] { *action = [=](Context& c) { return RunVerb(c, v, *names, *all); }; });
  }

  auto list_json = std::make_shared<bool>(false);
  Command list = app.AddSubcommand("list", "List Linux jails: state, JID, addresses, userland");
  list.AddFlag("--json", *list_json, "Print as JSON");
  list.Callback([=] { *action = [=](Context& c) { return List(c, *list_json); }; });

  auto info_name = std::make_shared<std::string>();
  auto info_json = std::make_shared<bool>(false);
  Command info = app.AddSubcommand("info", "Show one jail");
  info.AddOption("name", *info_name, "Jail name").Required();
  info.AddFlag("--json", *info_json, "Print as JSON");
  info.Callback([=] { *action = [=](Context& c) { return Info(c, *info_name, *info_json); }; });

  for (const char* verb : {"shell", "exec"}) {
    struct EnterArgs {
      std::string name, user;
      std::vector<std::string> command;
      bool freebsd = false;
    };
    auto a = std::make_shared<EnterArgs>();
    std::string v = verb;
    Command sub = app.AddSubcommand(
        v, v == "shell"
               ? "A login shell in the jail's Linux tree"
               : "Run a command in the jail's Linux tree: exec NAME [-u USER] -- CMD ARGS...");
    sub.AddOption("name", a->name, "Jail name").Required();
    sub.AddOption("-u,--user", a->user, "User of the Linux tree (default: root)");
    sub.AddFlag("--freebsd", a->freebsd, "The FreeBSD side of the jail instead");
    if (v == "exec")
      sub.AddOption("command", a->command, "Command and arguments (after --, passed untouched)");
    sub.Callback([=] {
      *action = [=](Context& c) {
        host::Host host = c.MakeHost();
        std::vector<std::string> command =
            c.options.has_passthrough ? c.options.passthrough : a->command;
        if (v == "exec" && command.empty())
          ThrowUsage("exec: give the command after --, e.g. ljail exec NAME -- id");
        return host::MakeRuntime(host)->Enter(RequireJail(host, a->name), a->user, command,
                                              a->freebsd);
      };
    });
  }
}

}  // namespace ljail::cli
