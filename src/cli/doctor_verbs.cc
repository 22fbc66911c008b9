// ljail doctor [NAME] [--user U] [--json]: the host, the jail and its
// network from inside, each check with a verdict, its evidence and a fix.
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/verbs.h"
#include "core/error.h"
#include "core/strings.h"
#include "diag/doctor.h"
#include "host/settings.h"
#include "jail/linux_account.h"

namespace ljail::cli {
namespace {

using nlohmann::ordered_json;

struct DoctorArgs {
  std::string name, user;
  bool json = false;
};

int Doctor(Context& c, const DoctorArgs& a) {
  host::Host host = c.MakeHost();
  if (!a.user.empty()) {
    if (a.name.empty()) ThrowUsage("--user needs a jail: ljail doctor NAME --user USER");
    jail::ValidateUserName(a.user);
  }
  std::unique_ptr<host::Runtime> runtime = host::MakeRuntime(host);
  std::vector<diag::DoctorSection> sections = {diag::CheckHost(host)};
  std::vector<jail::JailRecord> jails;
  if (a.name.empty()) {
    jails = jail::DiscoverJails(host);
  } else {
    jails.push_back(RequireJail(host, a.name));
  }
  for (const jail::JailRecord& j : jails) {
    sections.push_back(diag::CheckJail(host, *runtime, j));
    if (a.name.empty() || !runtime->IsRunning(j)) continue;
    sections.push_back(diag::CheckNetwork(*runtime, j, ""));
    if (!a.user.empty()) sections.push_back(diag::CheckNetwork(*runtime, j, a.user));
  }

  size_t counts[3] = {0, 0, 0};
  for (const auto& s : sections)
    for (const auto& f : s.findings) ++counts[static_cast<int>(f.verdict)];
  if (a.json) {
    ordered_json out = {{"ok", counts[2] == 0}, {"sections", ordered_json::array()}};
    for (const auto& s : sections) {
      ordered_json checks = ordered_json::array();
      for (const auto& f : s.findings) {
        checks.push_back({{"check", f.check},
                          {"verdict", VerdictName(f.verdict)},
                          {"evidence", f.evidence},
                          {"cause", f.cause},
                          {"fix", f.fix}});
      }
      out["sections"].push_back({{"section", s.title}, {"checks", checks}});
    }
    // Tree data need not be UTF-8: invalid bytes become U+FFFD, not an exception.
    *c.out << out.dump(2, ' ', false, ordered_json::error_handler_t::replace) << "\n";
  } else {
    for (const auto& s : sections) {
      *c.out << s.title << "\n";
      for (const auto& f : s.findings) {
        // What the tree said is printed, never interpreted by the terminal.
        *c.out << fmt::format("  {:<5} {}{}\n", VerdictName(f.verdict), Printable(f.check),
                              f.evidence.empty() ? "" : ": " + Printable(f.evidence));
        if (!f.cause.empty()) *c.out << "        why: " << Printable(f.cause) << "\n";
        if (!f.fix.empty()) *c.out << "        fix: " << Printable(f.fix) << "\n";
      }
    }
    *c.out << fmt::format("{} ok, {} warn, {} fail\n", counts[0], counts[1], counts[2]);
  }
  return counts[2] == 0 ? 0 : 1;
}

}  // namespace

void AddDoctorVerb(Command app, Action* action) {
  auto a = std::make_shared<DoctorArgs>();
  Command doctor = app.AddSubcommand(
      "doctor", "Check the host, a jail and its network from inside; explain and fix");
  doctor.AddOption("name", a->name, "Jail name (default: the host and every jail, no probes)");
  doctor.AddOption("-u,--user", a->user, "Also probe the network as this user of the tree");
  doctor.AddFlag("--json", a->json, "Print as JSON");
  doctor.Callback([=] { *action = [=](Context& c) { return Doctor(c, *a); }; });
}

}  // namespace ljail::cli
