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
#include "jailconf/jail_config.h"
#include "rootfs/bootstrap.h"
#include "runtime/freebsd/mounts.h"
#include "runtime/freebsd/system.h"
#include "runtime/linux/confinement.h"
#include "runtime/linux/user_namespace.h"

namespace ljail::diag {
namespace {

std::string FixOf(const host::Step& step) {
  std::vector<std::string> parts;
  for (const host::Action& a : step.actions)
    parts.push_back(a.command ? host::ShellQuote(a.command->argv) : a.description);
  return Join(parts, "; ");
}

// FreeBSD: the Linux ABI's knobs that decide whether Linux programs work
// (docs/freebsd.md §4, §5; anchors-jail-managers.md §5 idea 9).
void LinuxAbiSysctls(const host::Host& host, std::vector<Finding>* out) {
  std::optional<std::string> recverr =
      host::freebsd::Sysctl(host, "compat.linux.ignore_ip_recverr");
  if (recverr) {
    bool on = Trim(*recverr) == "1";
    out->push_back({"compat.linux.ignore_ip_recverr", on ? Verdict::kOk : Verdict::kFail,
                    "= " + Trim(*recverr),
                    on ? ""
                       : "glibc 2.30 and later set IP_RECVERR on DNS sockets; with this at 0 "
                         "every name lookup of a Linux program fails",
                    on ? ""
                       : "sysctl compat.linux.ignore_ip_recverr=1 && echo "
                         "compat.linux.ignore_ip_recverr=1 >> /etc/sysctl.conf"});
  }
  if (std::optional<std::string> osrelease =
          host::freebsd::Sysctl(host, "compat.linux.osrelease")) {
    std::string v = Trim(*osrelease);
    int major = std::atoi(v.c_str());
    out->push_back({"compat.linux.osrelease (the Linux kernel version programs see)",
                    major >= 3 ? Verdict::kOk : Verdict::kFail, "= " + v,
                    major >= 3 ? "" : "Debian's and Ubuntu's glibc refuse kernels older than 3.2",
                    major >= 3 ? "" : "sysctl compat.linux.osrelease=5.15.0"});
  }
}

// What the tree's commands print, or "" when they fail.
std::string Inside(const host::Runtime& rt, const jail::JailRecord& j,
                   const std::vector<std::string>& argv) {
  host::ProcessResult r = rt.RunInTree(j, argv);
  return r.exit_code == 0 ? r.out : "";
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
  std::string kind = Trim(Inside(rt, j, {"stat", "-c", "%F", "/etc/resolv.conf"}));
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
       listed ? Trim(Inside(rt, j, {"getent", "hosts", j.hostname})) : "getent hosts: not found",
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
    std::string owner = Trim(Inside(rt, j, {"stat", "-c", "%u:%g", "--", e.home}));
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

// The uid map a process in the jail has (proc(5) /proc/PID/uid_map), against
// the jail's $ljail_userns.
void UserNamespace(const jail::JailRecord& j, const std::string& uid_map,
                   std::vector<Finding>* out) {
  std::vector<std::string> w = Words(uid_map);
  bool host_ids = w.size() == 3 && w[0] == "0" && w[1] == "0";
  std::string base = w.size() == 3 && w[0] == "0" && !host_ids ? w[1] : "";
  Finding f{"user namespace", Verdict::kOk, "", "", ""};
  if (host_ids && j.userns.empty()) {
    f.evidence =
        "none: root inside is the host's uid 0, held back by the capabilities and the filter "
        "above (a jail made with `create --userns` has host ids of its own)";
  } else if (uint64_t first = 0;
             !base.empty() && base == j.userns &&
             std::from_chars(base.data(), base.data() + base.size(), first).ptr ==
                 base.data() + base.size()) {
    // What a tree's `cat` printed is data: only a number equal to the
    // file's own value gets this far.
    f.evidence = fmt::format("root inside is host uid {}: ids 0-{} inside are host ids {}-{}",
                             first, host::linux_ns::kUsernsSize - 1, first,
                             first + host::linux_ns::kUsernsSize - 1);
  } else {
    f.verdict = Verdict::kFail;
    f.evidence = fmt::format("the jail runs with uid map \"{}\", its file asks for {}",
                             Trim(uid_map).substr(0, 200),
                             j.userns.empty() ? "none" : "$ljail_userns = " + j.userns);
    f.cause = "it was started before its file changed";
    f.fix = "ljail restart " + j.name;
  }
  out->push_back(f);
}

// On a Linux host: the confinement in force, read from a process started in
// the jail as root (its bounding set is what every process there has).
void Confinement(const jail::JailRecord& j, const JailNetwork& n, const host::Runtime& rt,
                 std::vector<Finding>* out) {
  unsigned long long bounding = ~0ULL;
  for (const std::string& line : SplitLines(Inside(rt, j, {"cat", "/proc/self/status"}))) {
    if (line.rfind("CapBnd:", 0) == 0) bounding = std::stoull(line.substr(7), nullptr, 16);
  }
  std::vector<std::string> held, dropped;
  for (const host::linux_ns::DroppedCapability& c :
       host::linux_ns::DroppedCapabilities({n.vnet, n.raw_sockets})) {
    ((bounding >> c.number) & 1 ? held : dropped).push_back(c.name);
  }
  std::string kept = n.vnet ? "CAP_NET_ADMIN (vnet)" : "";
  if (n.raw_sockets)
    kept += std::string(kept.empty() ? "" : ", ") + "CAP_NET_RAW (allow.raw_sockets)";
  out->push_back({"confinement of root in the jail", held.empty() ? Verdict::kOk : Verdict::kFail,
                  held.empty()
                      ? fmt::format("root inside holds none of the {} capabilities a FreeBSD "
                                    "jail's root lacks{}",
                                    dropped.size(), kept.empty() ? "" : "; allowed: " + kept)
                      : "root inside still holds " + Join(held, ", "),
                  held.empty() ? "" : "the jail was started by an older ljail",
                  held.empty() ? "" : "ljail restart " + j.name});
  UserNamespace(j, Inside(rt, j, {"cat", "/proc/self/uid_map"}), out);
  // A process in the jail sees its cgroup as "/" when the jail has a cgroup
  // (and cgroup namespace) of its own; the limits are the cgroup's.
  bool own = false;
  for (const std::string& line : SplitLines(Inside(rt, j, {"cat", "/proc/self/cgroup"}))) {
    if (line.size() >= 2 && line.compare(line.size() - 2, 2, ":/") == 0) own = true;
  }
  std::string limits = FormatRctlVariable(j.limits);
  out->push_back({"resource limits", own ? Verdict::kOk : Verdict::kWarn,
                  own ? (limits.empty() ? "none; the jail has a cgroup of its own"
                                        : limits + ", in the jail's cgroup")
                      : "the jail's processes are not in a cgroup of its own",
                  own ? "" : "the jail was started by an older ljail",
                  own ? "" : "ljail restart " + j.name});
}

// Each mount line of the jail's file, present where it should be.
void MountsPresent(const host::Host& host, const host::Runtime& rt, const jail::JailRecord& j,
                   std::vector<Finding>* out) {
  std::vector<std::string> present;
  if (host.os() == host::HostOs::kFreeBSD) {
    for (const auto& m : host::freebsd::Mounts(host))
      present.push_back(m.mount_point + " " + m.fstype);
  } else {
    for (const std::string& line : SplitLines(Inside(rt, j, {"cat", "/proc/mounts"}))) {
      std::vector<std::string> w = Words(line);
      if (w.size() >= 3) present.push_back(j.path + (w[1] == "/" ? "" : w[1]) + " " + w[2]);
    }
  }
  std::vector<std::string> missing;
  size_t checked = 0;
  for (const std::string& line : j.mounts) {
    std::optional<MountEntry> m = ReadFstabLine(line);
    if (!m || m->fstype == "fdescfs") continue;  // fdescfs: a link on Linux
    const std::string& point = m->mount_point;
    ++checked;
    bool found = std::any_of(present.begin(), present.end(), [&](const std::string& p) {
      return p.rfind(point + " ", 0) == 0 &&
             (host.os() == host::HostOs::kLinux || p == point + " " + m->fstype);
    });
    if (!found) missing.push_back(Printable(point) + " (" + Printable(m->fstype) + ")");
  }
  out->push_back({fmt::format("the {} mount lines of {}", checked, j.config_file),
                  missing.empty() ? Verdict::kOk : Verdict::kFail,
                  missing.empty() ? "all mounted" : "missing: " + Join(missing, ", "),
                  missing.empty() ? "" : "the jail was started by hand or a mount was undone",
                  missing.empty() ? "" : "ljail restart " + j.name});
}

// FreeBSD's debootstrap port lags Debian's: a suite is known only when its
// script exists (docs/freebsd.md §8).
void Debootstrap(const host::Host& host, std::vector<Finding>* out) {
  std::string version = rootfs::ToolVersion(host, "debootstrap");
  if (version.empty()) {
    out->push_back({"debootstrap (builds Linux templates)", Verdict::kWarn, "not installed",
                    "`ljail template build` needs it (or --from-tarball)",
                    "pkg install debootstrap"});
    return;
  }
  const std::string scripts = "/usr/local/share/debootstrap/scripts/";
  std::vector<std::string> unknown, fixes;
  for (const auto& [suite, base] : std::vector<std::pair<std::string, std::string>>{
           {"bookworm", "sid"}, {"trixie", "sid"}, {"jammy", "gutsy"}, {"noble", "gutsy"}}) {
    if (host.Exists(scripts + suite)) continue;
    unknown.push_back(suite);
    fixes.push_back(fmt::format("ln -s {} {}{}", base, scripts, suite));
  }
  out->push_back({"debootstrap (builds Linux templates)",
                  unknown.empty() ? Verdict::kOk : Verdict::kWarn,
                  version + (unknown.empty() ? "" : "; no script for " + Join(unknown, ", ")),
                  unknown.empty() ? "" : "the port is older than Debian's: it refuses these suites",
                  Join(fixes, "; ")});
}

}  // namespace

DoctorSection CheckHost(const host::Host& host) {
  DoctorSection s{"host", {}};
  host::Plan plan = host::MakeRuntime(host)->SetupPlan({}).plan;
  for (const host::Step& step : plan.steps) {
    s.findings.push_back({step.title, step.done ? Verdict::kOk : Verdict::kFail, step.detail,
                          step.done ? "" : "not done", step.done ? "" : FixOf(step)});
  }
  if (host.os() == host::HostOs::kFreeBSD) {
    LinuxAbiSysctls(host, &s.findings);
    Debootstrap(host, &s.findings);
  }
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
  JailNetwork n = NetworkOf(host, jail, "");
  if (n.freebsd && !n.vnet && (n.ip6_mode == "disable" || n.ip6_mode.empty())) {
    s.findings.push_back(
        {"ip6 of the jail", Verdict::kWarn, n.ip6_mode.empty() ? "not set" : "ip6 = disable",
         "Linux programs that open an IPv6 socket get errno 93 (Jupyter does not start)",
         "ljail set " + jail.name + " ip6=inherit"});
  }
  if (!running) return s;
  if (!n.freebsd) Confinement(jail, n, runtime, &s.findings);
  MountsPresent(host, runtime, jail, &s.findings);
  TreeFiles(runtime, jail, &s.findings);
  Homes(host, runtime, jail, &s.findings);
  return s;
}

JailNetwork NetworkOf(const host::Host& host, const jail::JailRecord& jail,
                      const std::string& user) {
  JailNetwork n;
  n.jail = jail.name;
  n.freebsd = host.os() == host::HostOs::kFreeBSD;
  n.ip4 = jail.ip4;
  n.ip6_mode = jail.ip6_mode;
  n.user = user;
  try {
    jailconf::JailConfig config =
        jailconf::JailConfig::LoadJail(jail.config_file, host.root(), jail.name);
    if (const jailconf::EvaluatedJail* j = config.Find(jail.name)) {
      n.vnet = j->String("vnet").value_or("") == "new" || j->Bool("vnet");
      n.raw_sockets = j->Bool("allow.raw_sockets");
      n.ip4_mode = j->String("ip4").value_or("");
    }
  } catch (const Error&) {
    // A broken file is reported by CheckJail; the probes still run.
  }
  if (n.freebsd) {
    if (auto v = host::freebsd::Sysctl(host, "compat.linux.ignore_ip_recverr"))
      n.ignore_ip_recverr = Trim(*v) == "1";
  }
  return n;
}

DoctorSection CheckNetwork(const host::Host& host, const host::Runtime& runtime,
                           const jail::JailRecord& jail, const std::string& user) {
  DoctorSection s{fmt::format("network of {} as {}", jail.name, user.empty() ? "root" : user), {}};
  host::ProcessResult r = runtime.RunInTree(jail, {"perl", "-e", ProbeScript(), ""}, "", user);
  std::vector<ProbeResult> probes = ParseProbeOutput(r.out);
  if (probes.empty()) {
    s.findings.push_back({"the probe matrix (perl, from perl-base)", Verdict::kFail,
                          Trim(r.err.empty() ? r.out : r.err),
                          "the probes could not run inside the tree", ""});
    return s;
  }
  s.findings = Diagnose(probes, NetworkOf(host, jail, user));
  return s;
}

}  // namespace ljail::diag
