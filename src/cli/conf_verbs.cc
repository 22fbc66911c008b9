// ljail conf check | show: jail.conf(5) files read exactly as jail(8) reads
// them, so what ljail reports is what `service jail start` will do.
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <ostream>
#include <set>

#include "cli/verbs.h"
#include "core/error.h"
#include "jail/discovery.h"
#include "jail/layout.h"
#include "jailconf/evaluator.h"
#include "jailconf/jail_config.h"
#include "jailconf/validate.h"
#include "jailconf/writer.h"

namespace ljail::cli {
namespace {

using jailconf::Diagnostic;
using jailconf::JailConfig;
using nlohmann::ordered_json;

constexpr const char* kDefaultConfig = "/etc/jail.conf";
// `conf check` names the jails it checked when there are this many or fewer.
constexpr size_t kNamesListed = 12;

ordered_json MessageJson(const Diagnostic& d) {
  return {{"severity", d.severity == jailconf::Severity::kError ? "error" : "warning"},
          {"file", d.location.file},
          {"line", d.location.line},
          {"jail", d.jail},
          {"message", d.message}};
}

void PrintMessages(const std::vector<Diagnostic>& messages, std::ostream& err) {
  for (const Diagnostic& d : messages) err << jailconf::FormatDiagnostic(d) << "\n";
}

ordered_json ValuesJson(const std::vector<jailconf::EvaluatedParam>& params) {
  ordered_json object = ordered_json::object();
  for (const jailconf::EvaluatedParam& p : params) object[p.name] = p.values;
  return object;
}

// With no FILE: the host's jail files as rc.d/jail reads them, that is
// /etc/jail.conf with its includes and each /etc/jail.conf.d file it does
// not include (on a Linux host ljail's own files are only there).
int Check(Context& context, const std::vector<std::string>& given, bool json,
          jailconf::Grammar grammar) {
  host::Host host = context.MakeHost();
  std::vector<std::string> files = given;
  bool host_files = files.empty();
  if (host_files && (host.Exists(kDefaultConfig) || jail::UnincludedJailFiles(host, {}).empty()))
    files.push_back(kDefaultConfig);
  if (host_files && files.empty()) files = jail::UnincludedJailFiles(host, {});
  ordered_json report = {{"files", ordered_json::array()}};
  bool all_ok = true;
  for (size_t at = 0; at < files.size(); ++at) {
    const std::string file = files[at];
    // Jails are checked one at a time and not kept: a host with 10,000 of
    // them is checked in a few tens of megabytes.
    jailconf::Diagnostics syntax, evaluation;
    jailconf::LoadedConfig loaded =
        jailconf::LoadConfigFile(file, context.Root(), &syntax, grammar);
    if (host_files && at == 0 && file == kDefaultConfig) {
      std::set<std::string> included;
      for (const auto& f : loaded.files) included.insert(f->name);
      for (std::string& f : jail::UnincludedJailFiles(host, included))
        files.push_back(std::move(f));
    }
    std::vector<std::string> names;
    jailconf::ForEachEvaluatedJail(loaded, &evaluation, [&](jailconf::EvaluatedJail&& jail) {
      jailconf::ValidateJail(jail, &evaluation);
      names.push_back(std::move(jail.name));
    });
    std::vector<Diagnostic> messages = syntax.all();
    messages.insert(messages.end(), evaluation.all().begin(), evaluation.all().end());
    bool ok = !syntax.HasErrors() && !evaluation.HasErrors();
    all_ok = all_ok && ok;
    if (json) {
      ordered_json entry = {{"file", file}, {"ok", ok}, {"jails", names}};
      entry["messages"] = ordered_json::array();
      for (const Diagnostic& d : messages) entry["messages"].push_back(MessageJson(d));
      report["files"].push_back(std::move(entry));
      continue;
    }
    PrintMessages(messages, *context.err);
    int errors = syntax.error_count() + evaluation.error_count();
    if (ok) {
      *context.out << file << ": ok, " << names.size() << (names.size() == 1 ? " jail" : " jails");
      if (names.size() <= kNamesListed) {
        for (size_t i = 0; i < names.size(); ++i) *context.out << (i ? ", " : ": ") << names[i];
      }
      *context.out << "\n";
    } else {
      *context.out << file << ": " << errors << (errors == 1 ? " error" : " errors") << "\n";
    }
  }
  if (json) *context.out << report.dump(2) << "\n";
  return static_cast<int>(all_ok ? ExitCode::kOk : ExitCode::kFailed);
}

// The file that defines `name`, as rc.d/jail looks for it: /etc/jail.conf
// with its includes, else a file of /etc/jail.conf.d it does not include.
std::string FileDefining(Context& context, const std::string& name) {
  host::Host host = context.MakeHost();
  std::set<std::string> included;
  if (host.Exists(kDefaultConfig)) {
    JailConfig main = JailConfig::LoadJail(kDefaultConfig, host.root(), name);
    if (main.Find(name) || main.syntax.HasErrors()) return kDefaultConfig;
    for (const auto& f : main.loaded.files) included.insert(f->name);
  }
  std::vector<std::string> others = jail::UnincludedJailFiles(host, included);
  for (const std::string& f : others) {
    if (JailConfig::LoadJail(f, host.root(), name).Find(name)) return f;
  }
  if (!host.Exists(kDefaultConfig) && others.empty()) return kDefaultConfig;  // reported missing
  ThrowFailure(fmt::format("no jail \"{}\" in {} (with its includes) or {}/*.conf", name,
                           kDefaultConfig, jail::kJailConfD));
}

int Show(Context& context, const std::string& given, const std::string& name, bool json) {
  const std::string file = given.empty() ? FileDefining(context, name) : given;
  JailConfig config = JailConfig::LoadJail(file, context.Root(), name);
  PrintMessages(config.MessagesFor(name), *context.err);
  const jailconf::EvaluatedJail* jail = config.Find(name);
  if (!config.syntax.HasErrors() && !jail) {
    ThrowFailure(fmt::format("{}: no jail \"{}\" in this file or its includes", file, name));
  }
  if (!config.JailIsUsable(name)) return static_cast<int>(ExitCode::kFailed);

  if (json) {
    ordered_json out = {{"name", jail->name},
                        {"params", ValuesJson(jail->params)},
                        {"variables", ValuesJson(jail->variables)}};
    *context.out << out.dump(2) << "\n";
    return 0;
  }
  jailconf::BlockBuilder body;
  body.Comment(fmt::format("as jail(8) evaluates {}", file));
  // params[0] is the "name" (or "jid") the block name implies: writing it
  // again would be a redefinition, and the output must read back.
  // A list is written one value per line, as people write mount lines.
  for (size_t i = 1; i < jail->params.size(); ++i) {
    const jailconf::EvaluatedParam& p = jail->params[i];
    if (p.values.size() <= 1) {
      body.Set(p.name, jailconf::Literals(p.values));
      continue;
    }
    body.Set(p.name, jailconf::Literals({p.values.front()}));
    for (size_t v = 1; v < p.values.size(); ++v) {
      body.Append(p.name, jailconf::Literals({p.values[v]}));
    }
  }
  for (const auto& v : jail->variables) body.Variable(v.name, jailconf::Literals(v.values));
  *context.out << jailconf::FormatJailBlock(jail->name, body);
  return 0;
}

}  // namespace

void AddConfVerbs(Command app, Action* action) {
  Command conf = app.AddSubcommand("conf", "Read, check and show jail.conf(5) files");
  conf.RequireSubcommand(1);

  struct CheckArgs {
    std::vector<std::string> files;
    bool json = false;
    std::string release;
  };
  auto check_args = std::make_shared<CheckArgs>();
  Command check =
      conf.AddSubcommand("check", "Check files as jail(8) would: exit 0 when valid, 1 otherwise");
  check
      .AddOption("files", check_args->files,
                 "jail.conf files (default: /etc/jail.conf with its includes, and each "
                 "/etc/jail.conf.d file it does not include)")
      .TypeName("FILE");
  check.AddFlag("--json", check_args->json, "Print the result as JSON");
  check
      .AddOption("--release", check_args->release,
                 "Read as this FreeBSD release's jail(8) does (13.x: no .include, a \"*\" "
                 "section per run of top-level lines; default: 14.0 and later)")
      .TypeName("REL");
  check.Callback([=] {
    *action = [=](Context& c) {
      jailconf::Grammar grammar = check_args->release.empty()
                                      ? jailconf::Grammar::kFreeBSD14
                                      : jailconf::GrammarOfRelease(check_args->release);
      return Check(c, check_args->files, check_args->json, grammar);
    };
  });

  struct ShowArgs {
    std::string file;
    std::string name;
    bool json = false;
  };
  auto show_args = std::make_shared<ShowArgs>();
  Command show = conf.AddSubcommand(
      "show", "Show one jail's parameters and variables after jail(8)'s evaluation");
  show.AddOption("-f,--file", show_args->file,
                 "jail.conf file (default: the one that defines NAME: /etc/jail.conf with its "
                 "includes, else /etc/jail.conf.d/*.conf)")
      .TypeName("FILE");
  show.AddOption("name", show_args->name, "Jail name").Required();
  show.AddFlag("--json", show_args->json, "Print {\"name\", \"params\", \"variables\"} as JSON");
  show.Callback([=] {
    *action = [=](Context& c) {
      return Show(c, show_args->file, show_args->name, show_args->json);
    };
  });
}

}  // namespace ljail::cli
