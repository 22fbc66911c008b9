// ljail service NAME enable|disable|start|stop|list: the Linux services
// started with a jail ($ljail_services; jail/services.h).
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/tree_target.h"
#include "cli/verbs.h"
#include "core/error.h"
#include "jail/services.h"

namespace ljail::cli {
namespace {

using nlohmann::ordered_json;

struct ServiceArgs {
  std::string jail, verb;
  jail::ServiceRequest request;
  bool json = false;
};

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

int ServiceVerb(Context& c, const ServiceArgs& a) {
  const std::string& service = a.request.name;
  if (a.verb != "list") {
    if (service.empty()) ThrowUsage(fmt::format("service {}: name the service", a.verb));
    jail::ValidateServiceName(service);
  }
  if (!a.request.command.empty() && a.verb != "enable")
    ThrowUsage("--command is for `service NAME enable SVC`");
  Target t = OpenTarget(c, a.jail, a.verb != "list");
  if (a.verb == "list") return ServiceList(c, a, t);
  if (a.verb == "enable")
    return ApplyTreeChange(
        c, t, jail::ServiceEnableChange(t.host, t.At(), a.request, t.runtime->ConfEdits()));
  if (a.verb == "disable")
    return ApplyTreeChange(
        c, t, jail::ServiceDisableChange(t.host, t.At(), service, t.runtime->ConfEdits()));
  if (!t.runtime->IsRunning(t.jail)) jail::ThrowNotRunning(t.jail.name);
  if (c.options.dry_run) {
    *c.out << "in " << t.jail.name << ": "
           << host::ShellQuote(jail::ServiceCommand(service, a.verb)) << "\n";
    return 0;
  }
  jail::RunService(*t.runtime, t.jail, service, a.verb, *c.out);
  return 0;
}

}  // namespace

void AddServiceVerb(Command app, Action* action) {
  auto a = std::make_shared<ServiceArgs>();
  Command svc = app.AddSubcommand(
      "service",
      "Linux services started with the jail: service NAME enable|disable|start|stop|list");
  svc.AddOption("name", a->jail, "Jail name").Required();
  svc.AddOption("verb", a->verb, "enable, disable, start, stop or list")
      .Required()
      .OneOf({"enable", "disable", "start", "stop", "list"});
  svc.AddOption("service", a->request.name, "Script name in /etc/init.d");
  svc.AddOption("--command", a->request.command,
                "enable: run this command as the service (ljail writes its init script)");
  svc.AddOption("--user", a->request.user, "enable --command: the user it runs as (default root)");
  svc.AddFlag("--json", a->json, "list: print as JSON");
  svc.Callback([=] { *action = [=](Context& c) { return ServiceVerb(c, *a); }; });
}

}  // namespace ljail::cli
