#include "jail/linux_setup.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <memory>
#include <ostream>

#include "core/error.h"
#include "core/strings.h"
#include "jail/linux_users.h"
#include "jail/tree_changes.h"

namespace ljail::jail {
namespace {

constexpr const char* kLocaleScript = R"sh(line=$1 locale=$2
if ! grep -qxF "$line" /usr/share/i18n/SUPPORTED; then
  echo "$locale is not in /usr/share/i18n/SUPPORTED: glibc cannot generate it" >&2; exit 2
fi
grep -qxF "$line" /etc/locale.gen 2>/dev/null || echo "$line" >> /etc/locale.gen
locale-gen >/dev/null && update-locale "LANG=$locale"
)sh";

// Runs `fn` with the jail's record (read when the step runs: at plan time
// the jail of a `create` does not exist yet) and the host's runtime.
using InJailFn =
    std::function<void(const host::Host&, const JailControl&, const JailRecord&, std::ostream&)>;

host::Action InJail(std::string description, const std::string& name, ControlFor control,
                    const InJailFn& fn) {
  return host::Action::Reporting(std::move(description),
                                 [name, control, fn](const host::Host& h, std::ostream& out) {
                                   std::optional<JailRecord> jail = FindJail(h, name);
                                   if (!jail)
                                     ThrowFailure(fmt::format("no jail \"{}\" (ljail list)", name));
                                   fn(h, *control(h), *jail, out);
                                 });
}

}  // namespace

void WriteResolvConf(const host::Host& host, const JailControl& runtime, const JailRecord& jail,
                     const DnsMode& mode) {
  std::optional<std::string> resolv = ResolvConfFor(mode, HostResolvConf(host));
  if (!resolv) return;
  runtime.MustInTree(jail, {"/bin/sh", "-c", kReplaceResolvConf}, "writing /etc/resolv.conf",
                     *resolv);
}

std::vector<host::Step> LocaleSteps(const InTree& at, const TreeFs& tree,
                                    const std::string& locale) {
  std::vector<host::Step> steps = InstallSteps(at, tree, {"locales"});
  const std::string line = LocaleGenLine(locale);
  std::vector<std::string> generated = Split(tree.ReadFile("/etc/locale.gen").value_or(""), '\n');
  std::vector<std::string> set = Split(tree.ReadFile("/etc/default/locale").value_or(""), '\n');
  bool done = std::find(generated.begin(), generated.end(), line) != generated.end() &&
              std::find(set.begin(), set.end(), "LANG=" + locale) != set.end();
  host::Step step{"LANG=" + locale + " generated and in /etc/default/locale", done, "", {}};
  step.actions.push_back(
      TreeCommandAction(at, {{"/bin/sh", "-c", kLocaleScript, "sh", line, locale},
                             "",
                             "generating the locale " + locale}));
  steps.push_back(std::move(step));
  return steps;
}

std::vector<host::Step> UserPingSteps(const InTree& at, const TreeFs& tree) {
  std::optional<struct stat> ping = tree.LinkStatus("/usr/bin/ping");
  bool done = ping && S_ISREG(ping->st_mode) && ping->st_uid == 0 && (ping->st_mode & S_ISUID);
  host::Step step{"/usr/bin/ping setuid root", done, "", {}};
  step.actions.push_back(
      TreeCommandAction(at, {{"chmod", "u+s", "/usr/bin/ping"}, "", "making ping setuid"}));
  return {step};
}

std::vector<host::Step> TreeSetupSteps(const std::string& name, const TreeSetup& setup,
                                       ControlFor control) {
  std::vector<std::string> packages = setup.packages;
  if (setup.locale != "C.UTF-8") packages.push_back("locales");
  if (setup.user && setup.user->sudo) packages.push_back("sudo");
  if (setup.user_ping) packages.push_back("iputils-ping");
  bool needed = !packages.empty() || setup.user.has_value();
  std::vector<host::Step> steps;
  if (!needed) return steps;

  steps.push_back({"start " + name + " to set its tree up", false, "", {}});
  steps.back().actions.push_back(
      InJail("start the jail (its tree's programs run in it, with its mounts)", name, control,
             [](const host::Host&, const JailControl& rt, const JailRecord& j, std::ostream& out) {
               if (!rt.IsRunning(j)) rt.Start(j, out);
             }));
  if (!packages.empty()) {
    steps.push_back({"packages " + Join(packages, " "), false, "", {}});
    steps.back().actions.push_back(
        InJail("apt-get update; apt-get install -y " + Join(packages, " ") +
                   " (DEBIAN_FRONTEND=noninteractive; a policy-rc.d exiting 101 while it runs)",
               name, control,
               [packages](const host::Host& h, const JailControl& rt, const JailRecord& j,
                          std::ostream& out) {
                 host::RunSubSteps(InstallSteps({&rt, &j}, rt.RunningTree(j), packages), h, out);
               }));
  }
  if (setup.locale != "C.UTF-8") {
    steps.push_back({"locale " + setup.locale, false, "", {}});
    steps.back().actions.push_back(
        InJail(fmt::format("echo '{}' >> /etc/locale.gen; locale-gen; update-locale LANG={}",
                           LocaleGenLine(setup.locale), setup.locale),
               name, control,
               [locale = setup.locale](const host::Host& h, const JailControl& rt,
                                       const JailRecord& j, std::ostream& out) {
                 host::RunSubSteps(LocaleSteps({&rt, &j}, rt.RunningTree(j), locale), h, out);
               }));
  }
  if (setup.user_ping) {
    steps.push_back({"ping for users (setuid root)", false, "", {}});
    steps.back().actions.push_back(InJail(
        "chmod u+s /usr/bin/ping (its datagram ICMP socket is refused for users, and setcap "
        "has no capability attribute to set under the Linuxulator)",
        name, control,
        [](const host::Host& h, const JailControl& rt, const JailRecord& j, std::ostream& out) {
          host::RunSubSteps(UserPingSteps({&rt, &j}, rt.RunningTree(j)), h, out);
        }));
  }
  if (setup.user) {
    AccountRequest request = *setup.user;
    steps.push_back({"user " + request.name + (request.sudo ? " with sudo" : ""), false, "", {}});
    steps.back().actions.push_back(InJail(
        fmt::format(
            "groupadd/useradd {} in the tree, home from /etc/skel owned by it{}", request.name,
            request.sudo ? ", " + SudoersPath(request.name) + " checked by visudo -cf" : ""),
        name, control,
        [request](const host::Host& h, const JailControl& rt, const JailRecord& j,
                  std::ostream& out) {
          // The same steps as `user add`, checked in the tree now: a create
          // run again after it stopped past useradd finishes the account.
          host::RunSubSteps(AccountSteps({&rt, &j}, rt.RunningTree(j), request,
                                         h.ReadFile("/etc/passwd").value_or("")),
                            h, out);
          NoteSudoPassword(out, j.name, request);
        }));
  }
  steps.push_back({"stop " + name + " (create leaves a jail stopped)", false, "", {}});
  steps.back().actions.push_back(StopJailAction(name, control));
  return steps;
}

host::Action StopJailAction(const std::string& name, ControlFor control) {
  return host::Action::Reporting("stop " + name,
                                 [name, control](const host::Host& h, std::ostream& out) {
                                   std::optional<JailRecord> jail = FindJail(h, name);
                                   if (!jail)
                                     return;  // stopped before its file was written: nothing runs
                                   std::unique_ptr<JailControl> runtime = control(h);
                                   if (runtime->IsRunning(*jail)) runtime->Stop(*jail, out);
                                 });
}

}  // namespace ljail::jail
