#include "jail/tree_changes.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <ostream>
#include <set>

#include "core/error.h"
#include "core/strings.h"
#include "jail/dpkg_status.h"
#include "jail/linux_users.h"
#include "jail/services.h"
#include "jailconf/document.h"

namespace ljail::jail {
namespace {

constexpr const char* kPolicyRcD = "/usr/sbin/policy-rc.d";

// Puts a policy-rc.d in place unless the tree has one; prints "ours" when
// it did, so that only ljail's own file is removed afterwards.
constexpr const char* kPolicyInstall = R"sh([ -e /usr/sbin/policy-rc.d ] && exit 0
printf '#!/bin/sh\n# ljail: package scripts start no daemons while ljail installs (removed after).\nexit 101\n' > /usr/sbin/policy-rc.d
chmod 0755 /usr/sbin/policy-rc.d && echo ours
)sh";

void PrintIndented(std::ostream& out, const std::string& text) {
  for (const std::string& line : SplitLines(text)) out << "        " << line << "\n";
}

// "in web: ARGV", and the input as a here-document whose delimiter is
// not a line of it.
std::string Shown(const InTree& at, const std::vector<std::string>& argv,
                  const std::string& input) {
  std::string shown = fmt::format("in {}: {}", at.jail->name, host::ShellQuote(argv));
  if (input.empty()) return shown;
  std::string eof = "EOF";
  while (("\n" + input).find("\n" + eof + "\n") != std::string::npos) eof += "_";
  return fmt::format("{} <<'{}'\n{}{}{}", shown, eof, input, input.ends_with('\n') ? "" : "\n",
                     eof);
}

bool RegularFile(const std::optional<struct stat>& st) { return st && S_ISREG(st->st_mode); }

host::Step MakeStep(std::string title, bool done, std::string detail = "") {
  return host::Step{std::move(title), done, std::move(detail), {}};
}

// A stopped jail is started before the first step that runs in it and
// stopped after the last: the steps whose actions are tree commands.
TreeChange AroundTheJail(const InTree& at, std::string title, std::vector<host::Step> steps) {
  TreeChange change{host::Plan{std::move(title), {}, {}, ""}, at, false};
  bool in_tree = std::any_of(steps.begin(), steps.end(), [](const host::Step& s) {
    return !s.done && std::any_of(s.actions.begin(), s.actions.end(),
                                  [](const host::Action& a) { return a.verbatim; });
  });
  change.starts_jail = in_tree && !at.control->IsRunning(*at.jail);
  if (!change.starts_jail) {
    change.plan.steps = std::move(steps);
    return change;
  }
  auto start = [at](const host::Host&, std::ostream& out) { at.control->Start(*at.jail, out); };
  auto stop = [at](const host::Host&, std::ostream& out) {
    if (at.control->IsRunning(*at.jail)) at.control->Stop(*at.jail, out);
  };
  change.plan.steps.push_back(MakeStep("start " + at.jail->name + " for the change", false));
  change.plan.steps.back().actions.push_back(
      host::Action::Reporting("start " + at.jail->name, start));
  std::move(steps.begin(), steps.end(), std::back_inserter(change.plan.steps));
  change.plan.steps.push_back(MakeStep("stop " + at.jail->name + " again (it was stopped)", false));
  change.plan.steps.back().actions.push_back(
      host::Action::Reporting("stop " + at.jail->name, stop));
  change.plan.on_interrupt.push_back(host::Action::Reporting("stop " + at.jail->name, stop));
  return change;
}

std::set<std::string> Installed(const TreeFs& tree) {
  return InstalledPackages(tree.ReadFile(kDpkgStatusPath).value_or(""));
}

std::vector<std::string> With(std::vector<std::string> head, const std::vector<std::string>& tail) {
  head.insert(head.end(), tail.begin(), tail.end());
  return head;
}

host::Action ServiceAction(const InTree& at, const std::string& name, const std::string& action) {
  return host::Action::Verbatim(Shown(at, ServiceCommand(name, action), ""),
                                [at, name, action](const host::Host&, std::ostream& out) {
                                  RunService(*at.control, *at.jail, name, action, out);
                                });
}

// The jail's file with $ljail_services set to `services`, and what the OS
// adds for them (on FreeBSD, the exec lines that use it).
std::string JailFileWithServices(const host::Host& host, const InTree& at,
                                 const std::vector<std::string>& services,
                                 const OsConfEdits& edits) {
  jailconf::ConfigDocument doc(at.jail->config_file,
                               host.ReadFile(at.jail->config_file).value_or(""));
  doc.SetVariable(at.jail->name, kServicesVariable,
                  {jailconf::ConfValue::Literal(Join(services, " "))});
  edits.KeepServices(doc, at.jail->name, at.jail->linux_dir);
  return doc.text();
}

}  // namespace

host::Action TreeCommandAction(const InTree& at, TreeCommand c) {
  std::string shown = Shown(at, c.argv, c.input);
  return host::Action::Verbatim(
      std::move(shown), [at, c = std::move(c)](const host::Host&, std::ostream& out) {
        host::ProcessResult r = at.control->RunInTree(*at.jail, c.argv, c.input);
        if (r.exit_code == c.warning_status) {
          PrintIndented(out, r.out);
          out << "warning: " << Trim(r.err) << "\n";
          return;
        }
        if (r.exit_code != 0) {
          std::string said = Trim(r.err.empty() ? r.out : r.err);
          ThrowFailure(fmt::format("{}: {}: {} exited {}{}", at.jail->name, c.what, c.argv.front(),
                                   r.exit_code, said.empty() ? "" : ": " + said));
        }
        if (c.reports) {
          PrintIndented(out, r.out);
        } else {
          out << "        " << host::ShellQuote(c.argv) << "\n";
        }
      });
}

host::Action AptAction(const InTree& at, std::vector<std::string> args) {
  std::string shown = fmt::format(
      "in {}: DEBIAN_FRONTEND=noninteractive apt-get {}   # with {} exiting 101 while it runs, "
      "unless the tree has one",
      at.jail->name, host::ShellQuote(args), "/usr/sbin/policy-rc.d");
  return host::Action::Verbatim(std::move(shown),
                                [at, args = std::move(args)](const host::Host&, std::ostream& out) {
                                  AptGet(*at.control, *at.jail, args, out);
                                });
}

void AptGet(const JailControl& runtime, const JailRecord& jail,
            const std::vector<std::string>& args, std::ostream& out) {
  bool ours = Trim(runtime
                       .MustInTree(jail, {"/bin/sh", "-c", kPolicyInstall},
                                   "putting a policy-rc.d in place")
                       .out) == "ours";
  std::vector<std::string> argv = {"/usr/bin/env", "DEBIAN_FRONTEND=noninteractive", "apt-get"};
  argv.insert(argv.end(), args.begin(), args.end());
  out << "        " << host::ShellQuote(std::vector<std::string>(argv.begin() + 1, argv.end()))
      << "\n"
      << std::flush;
  int code = runtime.Enter(jail, "", argv, false);
  if (ours) runtime.MustInTree(jail, {"rm", "-f", kPolicyRcD}, "removing ljail's policy-rc.d");
  if (code != 0) {
    ThrowFailure(fmt::format("{}: apt-get {} exited {} (its messages are above)", jail.name,
                             Join(args, " "), code));
  }
}

void RunTreeChange(const TreeChange& change, const host::Host& host, std::ostream& out) {
  try {
    host::RunPlan(change.plan, host, out);
  } catch (const Error& e) {
    // A signal's stop is the plan's on_interrupt; a failure's is here.
    if (change.starts_jail && e.code() != ExitCode::kInterrupted &&
        change.at.control->IsRunning(*change.at.jail)) {
      try {
        change.at.control->Stop(*change.at.jail, out);
      } catch (const std::exception& stop) {
        out << "warning: " << change.at.jail->name << " could not be stopped again: " << stop.what()
            << "\n";
      }
    }
    throw;
  }
}

std::vector<host::Step> InstallSteps(const InTree& at, const TreeFs& tree,
                                     const std::vector<std::string>& packages) {
  std::set<std::string> installed = Installed(tree);
  std::vector<std::string> missing;
  for (const std::string& p : packages)
    if (!IsInstalled(installed, p)) missing.push_back(p);
  if (missing.empty()) return {MakeStep("packages " + Join(packages, " "), true, "installed")};
  host::Step step = MakeStep("packages " + Join(missing, " "), false);
  // What an interrupted apt left half-configured is finished first (apt
  // refuses to install until it is); nothing to do otherwise.
  step.actions.push_back(TreeCommandAction(
      at, {{"/usr/bin/env", "DEBIAN_FRONTEND=noninteractive", "dpkg", "--configure", "-a"},
           "",
           "finishing what an interrupted dpkg left",
           true}));
  step.actions.push_back(AptAction(at, {"update"}));
  step.actions.push_back(AptAction(at, With({"install", "-y"}, missing)));
  return {std::move(step)};
}

std::vector<host::Step> AccountSteps(const InTree& at, const TreeFs& tree,
                                     const AccountRequest& request,
                                     const std::string& host_passwd) {
  const std::string& name = request.name;
  std::string passwd = tree.ReadFile("/etc/passwd", kAccountFileLimit).value_or("");
  std::string group = tree.ReadFile("/etc/group", kAccountFileLimit).value_or("");
  std::vector<host::Step> steps;
  AccountPlan plan;
  if (std::optional<LinuxUser> u = FindLinuxUser(passwd, "", name)) {
    if (request.uid && *request.uid != u->uid) {
      ThrowUsage(fmt::format("{} has a user {} with uid {}, not {}: ljail user del {} {}",
                             at.jail->name, name, u->uid, *request.uid, at.jail->name, name));
    }
    plan = AccountPlan{request, u->uid, u->gid, "", false, u->home};
    steps.push_back(MakeStep("account " + name, true, fmt::format("uid {}", u->uid)));
  } else {
    plan = PlanAccount(request, passwd, group, host_passwd);
    if (!RegularFile(tree.Status(request.shell))) {
      ThrowUsage(
          fmt::format("--shell {}: no such program in {}'s tree", request.shell, at.jail->name));
    }
    steps.push_back(MakeStep(
        fmt::format("account {} (uid {}, gid {} {})", name, plan.uid, plan.gid, plan.group_name),
        false));
    for (std::vector<std::string>& command : AccountCommands(plan))
      steps.back().actions.push_back(
          TreeCommandAction(at, {std::move(command), "", "adding user " + name}));
  }

  // A home on a directory shared from the host is only seen in the running
  // jail: at rest it is never taken as made.
  std::optional<struct stat> home = tree.Status(plan.home);
  bool home_done = home && S_ISDIR(home->st_mode) && home->st_uid == plan.uid &&
                   (at.control->IsRunning(*at.jail) || !at.jail->SharesFromHost(plan.home));
  steps.push_back(MakeStep(fmt::format("home {} from /etc/skel, owned by {}", plan.home, name),
                           home_done, home_done ? "there" : ""));
  steps.back().actions.push_back(
      TreeCommandAction(at, {{"/bin/sh", "-c", HomeScript(), "sh", plan.home,
                              std::to_string(plan.uid), std::to_string(plan.gid)},
                             "",
                             "making the home " + plan.home,
                             true,
                             4}));
  if (!request.sudo) return steps;

  for (host::Step& s : InstallSteps(at, tree, {"sudo"})) steps.push_back(std::move(s));
  std::string sudoers = SudoersPath(name), content = SudoersContent(name, request.nopasswd);
  bool sudoers_done = tree.ReadFile(sudoers, kAccountFileLimit) == content;
  steps.push_back(MakeStep(sudoers + " (checked by visudo -cf)", sudoers_done));
  steps.back().actions.push_back(
      TreeCommandAction(at, {{"/bin/sh", "-c", InstallSudoersScript(), "sh",
                              "/etc/sudoers.d/.ljail-" + name + ".new", sudoers},
                             content,
                             "checking the sudoers file with visudo"}));
  return steps;
}

TreeChange UserAddChange(const host::Host& host, const InTree& at, const AccountRequest& request) {
  std::vector<host::Step> steps = AccountSteps(at, at.control->CurrentTree(*at.jail), request,
                                               host.ReadFile("/etc/passwd").value_or(""));
  bool whole = std::all_of(steps.begin(), steps.end(), [](const host::Step& s) { return s.done; });
  if (whole) {
    ThrowUsage(fmt::format("user {} exists already in the tree ({}); ljail user list shows them",
                           request.name, steps.front().detail));
  }
  if (steps.front().done) {
    // An earlier `user add` stopped after useradd: this one finishes it.
    steps.front().detail += ", made by an earlier run: finishing its home and sudoers file";
  }
  return AroundTheJail(at, fmt::format("user {} in {}", request.name, at.jail->name),
                       std::move(steps));
}

// Removes the home at $1 unless it is a mount point or on another file
// system than the tree's root (a directory shared from the host): that is
// the host's, and ljail never deletes through it (exit 4, said on stderr).
constexpr const char* kRemoveHomeScript =
    R"sh([ -e "$1" ] || { echo "no home $1 to remove"; exit 0; }
if mountpoint -q "$1" || [ "$(stat -c %d "$1")" != "$(stat -c %d /)" ]; then
  echo "kept $1: it is on a directory shared from the host, which ljail never deletes through (delete it on the host if you mean it)" >&2
  exit 4
fi
rm -rf --one-file-system -- "$1" && echo "removed $1"
)sh";

TreeChange UserDelChange(const InTree& at, const std::string& user, bool keep_home) {
  TreeFs tree = at.control->CurrentTree(*at.jail);
  std::optional<LinuxUser> u =
      FindLinuxUser(tree.ReadFile("/etc/passwd", kAccountFileLimit).value_or(""), "", user);
  if (!u) {
    ThrowUsage(fmt::format("no user {} in {}'s tree (ljail user list {})", user, at.jail->name,
                           at.jail->name));
  }
  if (u->uid == 0) ThrowUsage(fmt::format("{} is root's account: ljail does not remove it", user));
  std::vector<host::Step> steps;
  steps.push_back(MakeStep(fmt::format("account {} (uid {})", user, u->uid), false));
  steps.back().actions.push_back(
      TreeCommandAction(at, {{"userdel", user}, "", "removing " + user}));
  steps.back().actions.push_back(
      TreeCommandAction(at, {{"rm", "-f", SudoersPath(user)}, "", "removing the sudoers file"}));
  steps.push_back(MakeStep("home " + u->home, keep_home, keep_home ? "kept" : ""));
  steps.back().actions.push_back(TreeCommandAction(
      at, {{"/bin/sh", "-c", kRemoveHomeScript, "sh", u->home}, "", "removing the home", true, 4}));
  return AroundTheJail(at, fmt::format("user del {} {}", at.jail->name, user), std::move(steps));
}

void NoteSudoPassword(std::ostream& out, const std::string& jail, const AccountRequest& request) {
  if (!request.sudo || request.nopasswd) return;
  out << fmt::format(
      "note: sudo asks {} for a password, and {} has none yet: ljail user passwd {} {}\n",
      request.name, request.name, jail, request.name);
}

TreeChange PackageChange(const InTree& at, const std::string& verb,
                         const std::vector<std::string>& packages) {
  std::string title = fmt::format("pkg {} {} in {}", verb, Join(packages, " "), at.jail->name);
  TreeFs tree = at.control->CurrentTree(*at.jail);
  if (verb == "install") return AroundTheJail(at, title, InstallSteps(at, tree, packages));
  std::vector<host::Step> steps;
  if (verb == "remove") {
    std::set<std::string> installed = Installed(tree);
    std::vector<std::string> present;
    for (const std::string& p : packages)
      if (installed.contains(p.substr(0, p.find_first_of(":=/")))) present.push_back(p);
    steps.push_back(present.empty()
                        ? MakeStep("remove " + Join(packages, " "), true, "not installed")
                        : MakeStep("remove " + Join(present, " "), false));
    steps.back().actions.push_back(AptAction(at, With({"remove", "-y"}, present)));
  } else {
    // Whether anything is newer only apt can say, after an update.
    steps.push_back(
        MakeStep(packages.empty() ? "upgrade" : "upgrade " + Join(packages, " "), false));
    steps.back().actions.push_back(AptAction(at, {"update"}));
    steps.back().actions.push_back(
        AptAction(at, packages.empty() ? std::vector<std::string>{"upgrade", "-y"}
                                       : With({"install", "-y", "--only-upgrade"}, packages)));
  }
  return AroundTheJail(at, title, std::move(steps));
}

TreeChange ServiceEnableChange(const host::Host& host, const InTree& at,
                               const ServiceRequest& request, const OsConfEdits& edits) {
  const std::string& name = request.name;
  const JailRecord& jail = *at.jail;
  TreeFs tree = at.control->CurrentTree(jail);
  std::string script = "/etc/init.d/" + name;
  std::optional<struct stat> there = tree.LinkStatus(script);
  std::vector<host::Step> steps;
  if (!request.command.empty()) {
    std::optional<std::string> existing =
        RegularFile(there) ? tree.ReadFile(script, kTreeFileLimit) : std::nullopt;
    if (there && (!existing || existing->find("written by ljail") == std::string::npos))
      ThrowUsage(
          fmt::format("{} exists in the tree and is not ljail's: pick another name", script));
    std::string passwd = tree.ReadFile("/etc/passwd", kAccountFileLimit).value_or("");
    if (!FindLinuxUser(passwd, "", request.user))
      ThrowUsage(fmt::format("--user {}: no such user in {}'s tree", request.user, jail.name));
    std::string content = CommandInitScript(name, request.command, request.user);
    steps.push_back(
        MakeStep(fmt::format("{} (runs: {}, as {})", script, request.command, request.user),
                 existing == content));
    steps.back().actions.push_back(
        TreeCommandAction(at, {{"/bin/sh", "-c", "cat > \"$1\" && chmod 0755 \"$1\"", "sh", script},
                               content,
                               "writing " + script}));
  } else if (!there) {
    ThrowUsage(fmt::format(
        "no {} in {}'s tree: install the package that has it (ljail pkg {} install ...) or give "
        "--command CMD",
        script, jail.name, jail.name));
  }

  std::vector<std::string> services = jail.services;
  bool declared = std::find(services.begin(), services.end(), name) != services.end();
  if (!declared) services.push_back(name);
  steps.push_back(MakeStep(
      fmt::format("{} starts with {} ($ljail_services in {})", name, jail.name, jail.config_file),
      declared, declared ? "enabled already" : ""));
  if (!declared) {
    steps.back().actions.push_back(
        host::Action::Write(jail.config_file, JailFileWithServices(host, at, services, edits)));
  }
  if (at.control->IsRunning(jail)) {
    bool running = QueryService(*at.control, jail, name) == ServiceState::kRunning;
    steps.push_back(MakeStep("start " + name + " now", running, running ? "running" : ""));
    steps.back().actions.push_back(ServiceAction(at, name, "start"));
  }
  return AroundTheJail(at, fmt::format("service {} enable {}", jail.name, name), std::move(steps));
}

TreeChange ServiceDisableChange(const host::Host& host, const InTree& at, const std::string& name,
                                const OsConfEdits& edits) {
  const JailRecord& jail = *at.jail;
  std::vector<std::string> services = jail.services;
  auto it = std::find(services.begin(), services.end(), name);
  if (it == services.end()) {
    ThrowUsage(
        fmt::format("{} is not enabled in {} (ljail service {} list)", name, jail.name, jail.name));
  }
  services.erase(it);
  std::vector<host::Step> steps;
  if (at.control->IsRunning(jail)) {
    bool running = QueryService(*at.control, jail, name) == ServiceState::kRunning;
    steps.push_back(MakeStep("stop " + name, !running, running ? "" : "not running"));
    steps.back().actions.push_back(ServiceAction(at, name, "stop"));
    std::string script = "/etc/init.d/" + name;
    TreeFs tree = at.control->RunningTree(jail);
    std::optional<std::string> text =
        RegularFile(tree.LinkStatus(script)) ? tree.ReadFile(script) : std::nullopt;
    if (text && text->find("written by ljail") != std::string::npos) {
      steps.push_back(MakeStep("remove " + script + " (ljail wrote it)", false));
      steps.back().actions.push_back(
          TreeCommandAction(at, {{"rm", "-f", script}, "", "removing " + script}));
    }
  }
  steps.push_back(MakeStep(fmt::format("{} no longer starts with {} ($ljail_services in {})", name,
                                       jail.name, jail.config_file),
                           false));
  steps.back().actions.push_back(
      host::Action::Write(jail.config_file, JailFileWithServices(host, at, services, edits)));
  return AroundTheJail(at, fmt::format("service {} disable {}", jail.name, name), std::move(steps));
}

}  // namespace ljail::jail
