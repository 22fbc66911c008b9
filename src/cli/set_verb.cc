// ljail set NAME PARAM=VALUE...: change an existing jail's settings in its
// own file (jail/settable.h), restarting it when jail(8) could not apply
// the change to a running jail.
#include <fmt/format.h>

#include <ostream>

#include "cli/verbs.h"
#include "core/error.h"
#include "core/strings.h"
#include "jail/linux_setup.h"
#include "jail/settable.h"
#include "jail/tree_settings.h"
#include "jailconf/document.h"
#include "jailconf/jail_config.h"
#include "runtime/runtime.h"

namespace ljail::cli {
namespace {

int Set(Context& c, const std::string& name, const std::vector<std::string>& assignments) {
  host::Host host = c.MakeHost();
  std::unique_ptr<host::Runtime> runtime = host::MakeRuntime(host);
  std::vector<jail::Setting> settings;
  settings.reserve(assignments.size());
  for (const std::string& a : assignments)
    settings.push_back(jail::ParseSetting(a, runtime->ConfEdits()));
  RequireJail(host, name);  // bad input refused before the lock
  std::optional<host::HostLock> lock = c.LockJail(host, name);
  jail::JailRecord record = RequireJail(host, name);
  std::string text = host.ReadFile(record.config_file).value_or("");
  jailconf::ConfigDocument doc(record.config_file, text);
  std::vector<std::string> said;
  jail::JailRecord edited = record;
  for (const jail::Setting& s : settings) {
    jail::ApplySetting(doc, edited, s, runtime->ConfEdits());
    said.push_back(s.param->name + "=" + s.value);
  }
  // The edited file must still be one jail(8) accepts.
  jailconf::JailConfig check =
      jailconf::JailConfig::FromText(record.config_file, doc.text(), host.root());
  if (!check.JailIsUsable(name)) {
    ThrowUsage(
        fmt::format("set {}: the file would no longer be valid for jail(8); nothing "
                    "changed (ljail conf check {})",
                    Join(said, " "), record.config_file));
  }
  bool restart = jail::NeedsRestart(settings);
  bool limits = edited.limits != record.limits;
  // A limit the host cannot enforce is refused before the file changes.
  if (limits) runtime->CheckLimits(edited.limits);
  bool running = runtime->IsRunning(record);
  if (c.options.dry_run) {
    *c.out << "# would write " << record.config_file << ":\n" << doc.text();
    if (running && restart) *c.out << "# would restart " << name << "\n";
    return 0;
  }
  if (doc.text() == text) {
    *c.out << name << ": " << Join(said, " ") << " already\n";
    return 0;
  }
  host.WriteFile(record.config_file, doc.text());
  *c.out << fmt::format("{}: {} in {}\n", name, Join(said, " "), record.config_file);
  jail::JailRecord updated = RequireJail(host, name);
  if (running && restart) {
    *c.out << fmt::format(
        "{} is running, and a jail takes its parameters when it is created: restarting it\n", name);
    runtime->Stop(record, *c.out);
    runtime->Start(updated, *c.out);
  } else if (running) {
    if (limits) {
      runtime->ApplyLimits(updated);
      *c.out << fmt::format("{}: limits in force now ({})\n", name,
                            updated.limits.empty() ? "none" : FormatRctlVariable(updated.limits));
    }
    for (const jail::Setting& s : settings) {
      if (s.param->name != "dns") continue;
      jail::DnsMode mode = jail::ParseDnsMode(s.value);
      if (mode.kind == jail::DnsMode::Kind::kNone) continue;
      jail::WriteResolvConf(host, *runtime, updated, mode);
      *c.out << name << ": /etc/resolv.conf rewritten\n";
    }
  } else {
    *c.out << name << " is stopped: the change takes effect when it starts\n";
  }
  return 0;
}

}  // namespace

void AddSetVerb(Command app, Action* action) {
  auto name = std::make_shared<std::string>();
  auto assignments = std::make_shared<std::vector<std::string>>();
  std::string help = "Change a jail's settings: set NAME PARAM=VALUE... (";
  for (const jail::SettableParam& p : jail::SettableParams()) help += p.name + "=" + p.values + " ";
  help.back() = ')';
  Command set = app.AddSubcommand("set", help);
  set.AddOption("name", *name, "Jail name").Required();
  set.AddOption("settings", *assignments, "PARAM=VALUE").Required();
  set.Callback([=] { *action = [=](Context& c) { return Set(c, *name, *assignments); }; });
}

}  // namespace ljail::cli
