#include "runtime/freebsd/system.h"

#include <fmt/format.h>
#include <strings.h>

#include <algorithm>
#include <regex>

#include "core/error.h"
#include "core/strings.h"

namespace ljail::host::freebsd {

std::optional<std::string> RcValue(const Host& host, const std::string& name) {
  ProcessResult r = host.Run({"sysrc", "-n", name});
  if (!r.ok()) return std::nullopt;  // "sysrc: unknown variable"
  return Trim(r.out);
}

Command SetRcValue(const std::string& name, const std::string& value) {
  return {"sysrc", name + "=" + value};
}

std::string SetRcAssignment(std::string_view text, const std::string& name,
                            const std::string& value) {
  std::vector<std::string> lines = SplitLines(text);
  std::string line = fmt::format("{}=\"{}\"", name, value);
  auto assigns = [&name](const std::string& l) {
    std::string_view t = l;
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
    return t.starts_with(name + "=");
  };
  auto last = std::find_if(lines.rbegin(), lines.rend(), assigns);
  if (last != lines.rend()) {
    *last = line;
  } else {
    lines.push_back(line);
  }
  return Join(lines, "\n") + "\n";
}

bool IsYes(const std::optional<std::string>& value) {
  if (!value) return false;
  for (const char* yes : {"yes", "true", "on", "1"}) {
    if (::strcasecmp(value->c_str(), yes) == 0) return true;
  }
  return false;
}

std::optional<std::string> Sysctl(const Host& host, const std::string& name) {
  ProcessResult r = host.Run({"sysctl", "-n", name});
  if (!r.ok()) return std::nullopt;  // "sysctl: unknown oid"
  return Trim(r.out);
}

const std::vector<KernelModule>& LinuxJailModules() {
  // rc.d/linux loads linux64, fdescfs, linprocfs and linsysfs at boot when
  // linux_enable=YES (§4); tmpfs and nullfs load on first mount (§3.1) but
  // are loaded here too so that the first jail start does not depend on it.
  static const std::vector<KernelModule> modules = {
      {"linux64", "linux64elf", "64-bit Linux ABI"},   {"linprocfs", "linprocfs", "Linux /proc"},
      {"linsysfs", "linsysfs", "Linux /sys"},          {"fdescfs", "fdescfs", "/dev/fd"},
      {"tmpfs", "tmpfs", "/dev/shm and private /tmp"}, {"nullfs", "nullfs", "shared directories"},
  };
  return modules;
}

bool ModuleLoaded(const Host& host, const std::string& module) {
  return host.Run({"kldstat", "-q", "-m", module}).ok();
}

Command LoadModule(const std::string& file) { return {"kldload", file}; }

HostRelease ReadHostRelease(const Host& host) {
  HostRelease out;
  std::optional<std::string> full = Sysctl(host, "kern.osrelease");
  if (!full) ThrowFailure("sysctl -n kern.osrelease: no answer; is this a FreeBSD host?");
  out.full = *full;
  std::smatch m;
  if (!std::regex_match(*full, m, std::regex("(([0-9]+)\\.([0-9]+)-[A-Z]+[0-9]*)(-p[0-9]+)?"))) {
    ThrowFailure("kern.osrelease \"" + *full + "\": not a FreeBSD release name");
  }
  out.release = m[1];
  out.major = std::stoi(m[2]);
  out.minor = std::stoi(m[3]);
  return out;
}

std::string ReadHostArch(const Host& host) {
  std::string arch = Sysctl(host, "hw.machine_arch").value_or("amd64");
  return arch == "aarch64" ? "arm64" : arch;
}

std::string RequireSha256(const Host& host, const std::string& file, const std::string& expected,
                          const std::string& what, const std::string& vouched_by,
                          const std::string& outcome) {
  std::string actual = Trim(host.Must({"sha256", "-q", file}).out);
  if (actual == expected) return actual;
  host.RemoveFile(file);
  ThrowFailure(fmt::format("{} checksum mismatch: {} {}, the file has {}; the file was removed{}",
                           what, vouched_by, expected, actual, outcome));
}

rootfs::TemplateHost TemplatePolicy() {
  rootfs::TemplateHost t;
  t.debian_arch = [](const Host& host) {
    return ReadHostArch(host) == "arm64" ? std::string("arm64") : std::string("amd64");
  };
  t.keyring_dir = "/usr/local/share/keyrings";
  t.keyring_origin = ": ljail host init fetches it from the Debian mirror and checks it";
  t.install_hint = "pkg install debootstrap";
  t.area_from_host_init = true;
  t.check_second_stage = [](const Host& host) {
    if (!ModuleLoaded(host, "linux64elf")) {
      ThrowFailure(
          "the Linux ABI is not loaded, so debootstrap's second stage cannot run: "
          "ljail host init");
    }
  };
  return t;
}

}  // namespace ljail::host::freebsd
