#include "jail/linux_setup.h"

#include <fmt/format.h>

#include <memory>
#include <ostream>

#include "core/error.h"
#include "core/strings.h"
#include "jail/linux_users.h"

namespace ljail::jail {
namespace {

constexpr const char* kPolicyRcD = "/usr/sbin/policy-rc.d";

// Puts a policy-rc.d in place unless the tree has one; prints "ours" when
// it did, so that only ljail's own file is removed afterwards.
constexpr const char* kPolicyInstall = R"sh([ -e /usr/sbin/policy-rc.d ] && exit 0
printf '#!/bin/sh\n# ljail: package scripts start no daemons while ljail installs (removed after).\nexit 101\n' > /usr/sbin/policy-rc.d
chmod 0755 /usr/sbin/policy-rc.d && echo ours
)sh";

constexpr const char* kLocaleScript = R"sh(line=$1 locale=$2
if ! grep -qxF "$line" /usr/share/i18n/SUPPORTED; then
  echo "$locale is not in /usr/share/i18n/SUPPORTED: glibc cannot generate it" >&2; exit 2
fi
grep -qxF "$line" /etc/locale.gen 2>/dev/null || echo "$line" >> /etc/locale.gen
locale-gen >/dev/null && update-locale "LANG=$locale"
)sh";

void PrintLines(std::ostream& out, const std::string& text) {
  for (const std::string& line : SplitLines(text)) out << "        " << line << "\n";
}

bool TreeHas(const JailControl& runtime, const JailRecord& jail, const std::string& path) {
  return runtime.RunInTree(jail, {"test", "-e", path}).exit_code == 0;
}

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

std::string Quoted(const std::vector<std::string>& argv) { return host::ShellQuote(argv); }

}  // namespace

RunningForChange::RunningForChange(const JailControl& runtime, const JailRecord& jail,
                                   std::ostream& out)
    : runtime_(runtime), jail_(jail), out_(out) {
  if (runtime_.IsRunning(jail_)) return;
  out_ << jail_.name << " is stopped: starting it for the change (stopped again after)\n";
  runtime_.Start(jail_, out_);
  started_ = true;
}

RunningForChange::~RunningForChange() {
  if (!started_) return;
  try {
    runtime_.Stop(jail_, out_);
  } catch (const std::exception& e) {
    out_ << "warning: " << jail_.name << " could not be stopped again: " << e.what() << "\n";
  }
}

void WriteResolvConf(const host::Host& host, const JailControl& runtime, const JailRecord& jail,
                     const DnsMode& mode) {
  std::optional<std::string> resolv = ResolvConfFor(mode, HostResolvConf(host));
  if (!resolv) return;
  runtime.MustInTree(jail, {"/bin/sh", "-c", kReplaceResolvConf}, "writing /etc/resolv.conf",
                     *resolv);
}

void AptGet(const JailControl& runtime, const JailRecord& jail,
            const std::vector<std::string>& args, std::ostream& out) {
  bool ours = Trim(runtime
                       .MustInTree(jail, {"/bin/sh", "-c", kPolicyInstall},
                                   "putting a policy-rc.d in place")
                       .out) == "ours";
  std::vector<std::string> argv = {"/usr/bin/env", "DEBIAN_FRONTEND=noninteractive", "apt-get"};
  argv.insert(argv.end(), args.begin(), args.end());
  out << "        " << Quoted(std::vector<std::string>(argv.begin() + 1, argv.end())) << "\n"
      << std::flush;
  int code = runtime.Enter(jail, "", argv, false);
  if (ours) runtime.MustInTree(jail, {"rm", "-f", kPolicyRcD}, "removing ljail's policy-rc.d");
  if (code != 0) {
    ThrowFailure(fmt::format("{}: apt-get {} exited {} (its messages are above)", jail.name,
                             Join(args, " "), code));
  }
}

void InstallPackages(const JailControl& runtime, const JailRecord& jail,
                     const std::vector<std::string>& packages, std::ostream& out) {
  if (packages.empty()) return;
  // What an interrupted apt left half-configured is finished first (apt
  // refuses to install until it is); nothing to do otherwise.
  runtime.MustInTree(
      jail, {"/usr/bin/env", "DEBIAN_FRONTEND=noninteractive", "dpkg", "--configure", "-a"},
      "finishing what an interrupted dpkg left");
  AptGet(runtime, jail, {"update"}, out);
  std::vector<std::string> args = {"install", "-y"};
  args.insert(args.end(), packages.begin(), packages.end());
  AptGet(runtime, jail, args, out);
}

AccountPlan PlanAccountInTree(const host::Host& host, const JailControl& runtime,
                              const JailRecord& jail, const AccountRequest& request) {
  std::string passwd = runtime.ReadRunningTreeFile(jail, "/etc/passwd", kAccountFileLimit);
  std::string group = runtime.ReadRunningTreeFile(jail, "/etc/group", kAccountFileLimit);
  AccountPlan plan = PlanAccount(request, passwd, group, host.ReadFile("/etc/passwd").value_or(""));
  if (!TreeHas(runtime, jail, request.shell)) {
    ThrowUsage(fmt::format("--shell {}: no such program in {}'s tree", request.shell, jail.name));
  }
  return plan;
}

void AddAccount(const JailControl& runtime, const JailRecord& jail, const AccountPlan& plan,
                std::ostream& out) {
  for (const std::vector<std::string>& command : AccountCommands(plan)) {
    out << "        " << Quoted(command) << "\n";
    runtime.MustInTree(jail, command, "adding user " + plan.request.name);
  }
  FinishAccount(runtime, jail, plan, out);
}

bool AccountUnfinished(const JailControl& runtime, const JailRecord& jail, const LinuxUser& user,
                       const AccountRequest& request) {
  host::ProcessResult owner = runtime.RunInTree(jail, {"stat", "-c", "%u", "--", user.home});
  if (owner.exit_code != 0 || Trim(owner.out) != std::to_string(user.uid)) return true;
  return request.sudo && !TreeHas(runtime, jail, SudoersPath(request.name));
}

void FinishAccount(const JailControl& runtime, const JailRecord& jail, const AccountPlan& plan,
                   std::ostream& out) {
  const std::string& user = plan.request.name;
  host::ProcessResult home =
      runtime.RunInTree(jail, {"/bin/sh", "-c", HomeScript(), "sh", plan.home,
                               std::to_string(plan.uid), std::to_string(plan.gid)});
  PrintLines(out, home.out);
  if (home.exit_code == 4) {
    out << "warning: " << Trim(home.err) << "\n";
  } else if (home.exit_code != 0) {
    ThrowFailure(fmt::format("{}: home {} of {}: {}", jail.name, plan.home, user,
                             Trim(home.err.empty() ? home.out : home.err)));
  }
  if (!plan.request.sudo) return;
  if (!TreeHas(runtime, jail, "/usr/bin/sudo")) InstallPackages(runtime, jail, {"sudo"}, out);
  std::string final_path = SudoersPath(user);
  std::string temp = "/etc/sudoers.d/.ljail-" + user + ".new";
  runtime.MustInTree(jail, {"/bin/sh", "-c", InstallSudoersScript(), "sh", temp, final_path},
                     "checking the sudoers file with visudo",
                     SudoersContent(user, plan.request.nopasswd));
  out << "        " << final_path << " (checked by visudo -cf)\n";
  if (!plan.request.nopasswd) {
    out << fmt::format(
        "note: sudo asks {} for a password, and {} has none yet: ljail user passwd {} {}\n", user,
        user, jail.name, user);
  }
}

void RemoveAccount(const JailControl& runtime, const JailRecord& jail, const std::string& user,
                   bool keep_home, std::ostream& out) {
  ValidateUserName(user);
  std::string passwd = runtime.ReadRunningTreeFile(jail, "/etc/passwd", kAccountFileLimit);
  std::optional<LinuxUser> u = FindLinuxUser(passwd, "", user);
  if (!u)
    ThrowUsage(
        fmt::format("no user {} in {}'s tree (ljail user list {})", user, jail.name, jail.name));
  if (u->uid == 0) ThrowUsage(fmt::format("{} is root's account: ljail does not remove it", user));
  runtime.MustInTree(jail, {"userdel", user}, "removing user " + user);
  out << "        userdel " << user << "\n";
  runtime.MustInTree(jail, {"rm", "-f", SudoersPath(user)}, "removing the sudoers file");
  if (keep_home) {
    out << "        kept " << u->home << "\n";
    return;
  }
  if (!TreeHas(runtime, jail, u->home)) {
    out << "        no home " << u->home << " to remove\n";
    return;
  }
  // A home on a directory the host shares is the host's: never deleted
  // across that mount.
  if (runtime.RunInTree(jail, {"mountpoint", "-q", u->home}).exit_code == 0 ||
      Trim(runtime.MustInTree(jail, {"stat", "-c", "%d", u->home}, "stat").out) !=
          Trim(runtime.MustInTree(jail, {"stat", "-c", "%d", "/"}, "stat").out)) {
    out << fmt::format(
        "        kept {}: it is on a directory shared from the host, which ljail never deletes "
        "through (delete it on the host if you mean it)\n",
        u->home);
    return;
  }
  runtime.MustInTree(jail, {"rm", "-rf", "--one-file-system", "--", u->home},
                     "removing the home " + u->home);
  out << "        removed " << u->home << "\n";
}

void SetLocale(const JailControl& runtime, const JailRecord& jail, const std::string& locale,
               std::ostream& out) {
  if (!TreeHas(runtime, jail, "/usr/sbin/locale-gen"))
    InstallPackages(runtime, jail, {"locales"}, out);
  runtime.MustInTree(jail, {"/bin/sh", "-c", kLocaleScript, "sh", LocaleGenLine(locale), locale},
                     "generating the locale " + locale);
  out << "        LANG=" << locale << " in /etc/default/locale\n";
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
               [packages](const host::Host&, const JailControl& rt, const JailRecord& j,
                          std::ostream& out) { InstallPackages(rt, j, packages, out); }));
  }
  if (setup.locale != "C.UTF-8") {
    steps.push_back({"locale " + setup.locale, false, "", {}});
    steps.back().actions.push_back(InJail(
        fmt::format("echo '{}' >> /etc/locale.gen; locale-gen; update-locale LANG={}",
                    LocaleGenLine(setup.locale), setup.locale),
        name, control,
        [locale = setup.locale](const host::Host&, const JailControl& rt, const JailRecord& j,
                                std::ostream& out) { SetLocale(rt, j, locale, out); }));
  }
  if (setup.user_ping) {
    steps.push_back({"ping for users (setuid root)", false, "", {}});
    steps.back().actions.push_back(InJail(
        "chmod u+s /usr/bin/ping (its datagram ICMP socket is refused for users, and setcap "
        "has no capability attribute to set under the Linuxulator)",
        name, control,
        [](const host::Host&, const JailControl& rt, const JailRecord& j, std::ostream& out) {
          rt.MustInTree(j, {"chmod", "u+s", "/usr/bin/ping"}, "making ping setuid");
          out << "        chmod u+s /usr/bin/ping\n";
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
        [request](const host::Host& host, const JailControl& rt, const JailRecord& j,
                  std::ostream& out) {
          std::string passwd = rt.ReadRunningTreeFile(j, "/etc/passwd", kAccountFileLimit);
          std::optional<LinuxUser> u = FindLinuxUser(passwd, "", request.name);
          if (!u) {
            AddAccount(rt, j, PlanAccountInTree(host, rt, j, request), out);
            return;
          }
          // A create run again after it stopped past useradd: the account
          // is there; its home and sudoers are made (again) all the same.
          if (request.uid && *request.uid != u->uid) {
            ThrowFailure(fmt::format("{} has a user {} with uid {}, not {}: ljail user del {} {}",
                                     j.name, request.name, u->uid, *request.uid, j.name,
                                     request.name));
          }
          out << "        " << request.name << " exists (uid " << u->uid << ")\n";
          FinishAccount(rt, j, AccountPlan{request, u->uid, u->gid, "", false, u->home}, out);
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
