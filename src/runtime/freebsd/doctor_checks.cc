#include "runtime/freebsd/doctor_checks.h"

#include <fmt/format.h>

#include <cstdlib>
#include <string>
#include <utility>

#include "core/strings.h"
#include "rootfs/bootstrap.h"
#include "runtime/freebsd/system.h"

namespace ljail::host::freebsd {
namespace {

// FreeBSD: the Linux ABI's knobs that decide whether Linux programs work
// (docs/freebsd.md §4, §5; anchors-jail-managers.md §5 idea 9).
void LinuxAbiSysctls(const Host& host, std::vector<Finding>* out) {
  std::optional<std::string> recverr = Sysctl(host, "compat.linux.ignore_ip_recverr");
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
  if (std::optional<std::string> osrelease = Sysctl(host, "compat.linux.osrelease")) {
    std::string v = Trim(*osrelease);
    int major = LeadingInt(v).value_or(0);
    out->push_back({"compat.linux.osrelease (the Linux kernel version programs see)",
                    major >= 3 ? Verdict::kOk : Verdict::kFail, "= " + v,
                    major >= 3 ? "" : "Debian's and Ubuntu's glibc refuse kernels older than 3.2",
                    major >= 3 ? "" : "sysctl compat.linux.osrelease=5.15.0"});
  }
}

// FreeBSD's debootstrap port lags Debian's: a suite is known only when its
// script exists (docs/freebsd.md §8).
void Debootstrap(const Host& host, std::vector<Finding>* out) {
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

std::vector<Finding> HostFindings(const Host& host) {
  std::vector<Finding> out;
  LinuxAbiSysctls(host, &out);
  Debootstrap(host, &out);
  return out;
}

std::optional<bool> IgnoresIpRecverr(const Host& host) {
  std::optional<std::string> v = Sysctl(host, "compat.linux.ignore_ip_recverr");
  if (!v) return std::nullopt;
  return Trim(*v) == "1";
}

}  // namespace ljail::host::freebsd
