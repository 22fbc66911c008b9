#include "diag/doctor.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <set>

#include "core/error.h"
#include "core/mount_table.h"
#include "core/strings.h"
#include "host/settings.h"
#include "host/storage.h"
#include "jail/linux_account.h"
#include "jail/linux_users.h"

namespace ljail::diag {
namespace {

std::string FixOf(const host::Step& step) {
  std::vector<std::string> parts;
  parts.reserve(step.actions.size());
  for (const host::Action& a : step.actions)
    parts.push_back(a.command ? host::ShellQuote(a.command->argv) : a.description);
  return Join(parts, "; ");
}

// A file of the running tree, or "" when it is missing or not a readable
// regular file (a FIFO, a device, more than the account-file limit).
std::string InsideFile(const host::Runtime& rt, const jail::JailRecord& j,
                       const std::string& path) {
  try {
    return rt.ReadRunningTreeFile(j, path, jail::kAccountFileLimit);
  } catch (const Error&) {
    return "";
  }
}

void TreeFiles(const host::Runtime& rt, const jail::JailRecord& j, std::vector<Finding>* out) {
  std::string kind = Trim(rt.OutputInTree(j, {"stat", "-c", "%F", "/etc/resolv.conf"}));
  std::string resolv = InsideFile(rt, j, "/etc/resolv.conf");
  bool servers = resolv.find("nameserver") != std::string::npos;
  Finding r{"/etc/resolv.conf of the tree", Verdict::kOk,
            kind.empty() ? "missing" : kind + (servers ? ", with nameserver lines" : ", empty"), "",
            ""};
  if (kind != "regular file" || !servers) {
    r.verdict = Verdict::kFail;
    r.cause = kind == "symbolic link"
                  ? "a link (to a resolver stub that does not exist inside, or a host path): "
                    "name lookups fail"
                  : "no resolver: name lookups fail";
    r.fix = fmt::format(
        "ljail set {} dns=copy   # the host's resolvers, a regular file, at every "
        "start",
        j.name);
  }
  out->push_back(r);

  std::string hostname = Trim(InsideFile(rt, j, "/etc/hostname"));
  out->push_back(
      {"/etc/hostname of the tree", hostname == j.hostname ? Verdict::kOk : Verdict::kWarn,
       hostname.empty() ? "missing" : hostname,
       hostname == j.hostname ? "" : "differs from host.hostname " + j.hostname,
       hostname == j.hostname
           ? ""
           : fmt::format("ljail exec {} -- sh -c {}", j.name,
                         host::ShellQuoteWord("echo " + host::ShellQuoteWord(j.hostname) +
                                              " > /etc/hostname"))});
  bool listed = rt.RunInTree(j, {"getent", "hosts", j.hostname}).exit_code == 0;
  out->push_back(
      {"the jail's hostname in /etc/hosts", listed ? Verdict::kOk : Verdict::kFail,
       listed ? Trim(rt.OutputInTree(j, {"getent", "hosts", j.hostname}))
              : "getent hosts: not found",
       listed ? "" : "programs that look up their own host name (sudo, Java, MPI) stall or fail",
       listed ? ""
              : fmt::format(
                    "ljail exec {} -- sh -c {}", j.name,
                    host::ShellQuoteWord("echo " + host::ShellQuoteWord("127.0.1.1 " + j.hostname) +
                                         " >> /etc/hosts"))});
}

// A tree user whose home is a host directory (a share) and whose uid is a
// different host user's: each owns the other's files there (issue 13).
void SharedHomeOwner(const std::string& host_passwd, const std::set<unsigned long>& used,
                     const jail::PasswdEntry& e, const jail::JailRecord& j,
                     std::vector<Finding>* out) {
  std::optional<jail::LinuxUser> owner =
      jail::FindLinuxUser(host_passwd, "", std::to_string(e.uid));
  Finding u{fmt::format("uid {} of {} (its home {} is a host directory)", e.uid, e.name, e.home),
            Verdict::kOk, owner ? "the host's " + owner->name + " has it" : "no host user has it",
            "", ""};
  if (owner && owner->name != e.name) {
    u.verdict = Verdict::kFail;
    u.cause = fmt::format("{} owns {}'s files on the shared directory, and {} owns {}'s", e.name,
                          owner->name, owner->name, e.name);
    std::string give;
    if (jail::FindLinuxUser(host_passwd, "", e.name)) {
      give = "--from-host";
    } else {
      unsigned long free_uid = jail::kFirstPersonId;
      while (used.count(free_uid) != 0) ++free_uid;
      give = fmt::format("--uid {}", free_uid);
    }
    const std::string user = host::ShellQuoteWord(e.name);
    u.fix = fmt::format("ljail user del {} {} --keep-home && ljail user add {} {} {}", j.name, user,
                        j.name, user, give);
  }
  out->push_back(u);
}

void Homes(const host::Host& host, const host::Runtime& rt, const jail::JailRecord& j,
           std::vector<Finding>* out) {
  const std::string host_passwd = host.ReadFile("/etc/passwd").value_or("");
  const std::vector<jail::PasswdEntry> users = jail::ReadPasswd(InsideFile(rt, j, "/etc/passwd"));
  std::set<unsigned long> used;  // uids of both, for a free one to suggest
  for (const jail::PasswdEntry& e : jail::ReadPasswd(host_passwd)) used.insert(e.uid);
  for (const jail::PasswdEntry& e : users) used.insert(e.uid);
  // Each home costs a command in the jail; jail root can list 59,000 users.
  constexpr size_t kHomesChecked = 200;
  size_t checked = 0;
  for (const jail::PasswdEntry& e : users) {
    if (!jail::IsPersonId(e.uid)) continue;
    if (++checked > kHomesChecked) {
      out->push_back({"homes of the tree's users", Verdict::kWarn,
                      fmt::format("only the first {} checked", kHomesChecked),
                      "the tree's passwd lists more people than doctor checks", ""});
      break;
    }
    std::string owner = Trim(rt.OutputInTree(j, {"stat", "-c", "%u:%g", "--", e.home}));
    std::string expected = fmt::format("{}:{}", e.uid, e.gid);
    Finding h{fmt::format("home {} of {}", e.home, e.name), Verdict::kOk,
              owner.empty() ? "missing" : "owner " + owner, "", ""};
    if (owner.empty()) {
      h.verdict = Verdict::kWarn;
      h.cause = "the user has no home: shells start in /, no profile is read";
    } else if (owner.substr(0, owner.find(':')) != std::to_string(e.uid)) {
      h.verdict = Verdict::kFail;
      h.cause =
          fmt::format("owned by {}, not {} (the seed's \"home owned by root\")", owner, expected);
      // The home comes from the tree: quoted, so a pasted fix runs nothing else.
      h.fix = fmt::format("ljail exec {} -- chown -R {} {}", j.name, host::ShellQuoteWord(expected),
                          host::ShellQuoteWord(e.home));
    }
    out->push_back(h);
    if (j.SharesFromHost(e.home)) SharedHomeOwner(host_passwd, used, e, j, out);
  }
  if (rt.RunInTree(j, {"test", "-x", "/usr/sbin/visudo"}).exit_code == 0) {
    host::ProcessResult v = rt.RunInTree(j, {"visudo", "-c"});
    out->push_back({"sudoers (visudo -c)", v.exit_code == 0 ? Verdict::kOk : Verdict::kFail,
                    Trim(v.out + v.err), v.exit_code == 0 ? "" : "sudo refuses to run at all",
                    v.exit_code == 0 ? "" : fmt::format("ljail exec {} -- visudo -c", j.name)});
  }
}

// Each mount line of the jail's file, present where it should be.
void MountsPresent(const host::Runtime& rt, const jail::JailRecord& j, std::vector<Finding>* out) {
  const std::vector<MountEntry> present = rt.MountsSeen(j);
  std::vector<std::string> missing;
  size_t checked = 0;
  for (const std::string& line : j.mounts) {
    std::optional<MountEntry> m = ReadFstabLine(line);
    if (!m || m->fstype == "fdescfs") continue;  // fdescfs: a link on Linux
    const std::string& point = m->mount_point;
    ++checked;
    bool found = std::any_of(present.begin(), present.end(), [&](const MountEntry& p) {
      return p.mount_point == point && (p.fstype.empty() || p.fstype == m->fstype);
    });
    if (!found) missing.push_back(Printable(point) + " (" + Printable(m->fstype) + ")");
  }
  out->push_back({fmt::format("the {} mount lines of {}", checked, j.config_file),
                  missing.empty() ? Verdict::kOk : Verdict::kFail,
                  missing.empty() ? "all mounted" : "missing: " + Join(missing, ", "),
                  missing.empty() ? "" : "the jail was started by hand or a mount was undone",
                  missing.empty() ? "" : "ljail restart " + j.name});
}

}  // namespace

DoctorSection CheckHost(const host::Host& host) {
  DoctorSection s{"host", {}};
  std::unique_ptr<host::Runtime> runtime = host::MakeRuntime(host);
  host::Plan plan = runtime->SetupPlan({}).plan;
  for (const host::Step& step : plan.steps) {
    s.findings.push_back({step.title, step.done ? Verdict::kOk : Verdict::kFail, step.detail,
                          step.done ? "" : "not done", step.done ? "" : FixOf(step)});
  }
  for (Finding& f : runtime->HostFindings()) s.findings.push_back(std::move(f));
  return s;
}

DoctorSection CheckJail(const host::Host& host, const host::Runtime& runtime,
                        const jail::JailRecord& jail) {
  DoctorSection s{"jail " + jail.name, {}};
  for (const std::string& p : jail.problems)
    s.findings.push_back({"its file " + jail.config_file, Verdict::kFail, p,
                          "jail(8) would refuse it", "ljail conf check " + jail.config_file});
  if (!jail.partial.empty()) {
    s.findings.push_back({"create finished", Verdict::kFail, "no ($ljail_partial)",
                          "its create stopped before the tree was set up (user, packages)",
                          Printable(jail.partial)});
  }
  bool running = runtime.IsRunning(jail);
  s.findings.push_back({"running", running ? Verdict::kOk : Verdict::kFail, running ? "yes" : "no",
                        running ? "" : "the checks inside need it running",
                        running ? "" : "ljail start " + jail.name});
  JailNetwork n = NetworkOf(runtime, jail, "");
  if (n.freebsd && !n.vnet && (n.ip6_mode == "disable" || n.ip6_mode.empty())) {
    s.findings.push_back(
        {"ip6 of the jail", Verdict::kWarn, n.ip6_mode.empty() ? "not set" : "ip6 = disable",
         "Linux programs that open an IPv6 socket get errno 93 (Jupyter does not start)",
         "ljail set " + jail.name + " ip6=inherit"});
  }
  if (!running) return s;
  for (Finding& f : runtime.ConfinementFindings(jail)) s.findings.push_back(std::move(f));
  MountsPresent(runtime, jail, &s.findings);
  TreeFiles(runtime, jail, &s.findings);
  Homes(host, runtime, jail, &s.findings);
  return s;
}

JailNetwork NetworkOf(const host::Runtime& runtime, const jail::JailRecord& jail,
                      const std::string& user) {
  host::LinuxLayer layer = runtime.LinuxLayerFacts();
  JailNetwork n;
  n.jail = jail.name;
  n.freebsd = layer.linuxulator;
  n.vnet = jail.vnet;
  n.raw_sockets = jail.raw_sockets;
  n.ip4 = jail.ip4;
  n.ip4_mode = jail.ip4_mode;
  n.ip6_mode = jail.ip6_mode;
  n.user = user;
  n.ignore_ip_recverr = layer.ignore_ip_recverr;
  return n;
}

DoctorSection CheckNetwork(const host::Runtime& runtime, const jail::JailRecord& jail,
                           const std::string& user) {
  DoctorSection s{fmt::format("network of {} as {}", jail.name, user.empty() ? "root" : user), {}};
  host::ProcessResult r = runtime.RunInTree(jail, {"perl", "-e", ProbeScript(), ""}, "", user);
  std::vector<ProbeResult> probes = ParseProbeOutput(r.out);
  if (probes.empty()) {
    s.findings.push_back({"the probe matrix (perl, from perl-base)", Verdict::kFail,
                          Trim(r.err.empty() ? r.out : r.err),
                          "the probes could not run inside the tree", ""});
    return s;
  }
  s.findings = Diagnose(probes, NetworkOf(runtime, jail, user));
  return s;
}

}  // namespace ljail::diag
