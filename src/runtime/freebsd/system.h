// FreeBSD host state through its own tools: sysrc(8), kldstat(8)/kldload(8),
// sysctl(8) (docs/freebsd.md §3.3, §4, §9).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "host/host.h"
#include "host/process.h"
#include "rootfs/template_host.h"

namespace ljail::host::freebsd {

/// `sysrc -n NAME`: the value in rc.conf (defaults included), nullopt when
/// sysrc does not know the variable.
std::optional<std::string> RcValue(const Host& host, const std::string& name);
Command SetRcValue(const std::string& name, const std::string& value);
/// rc.conf text with NAME="VALUE" in place of NAME's assignment (the last
/// one, as sh reads the file), or appended: what sysrc(8) writes.
std::string SetRcAssignment(std::string_view text, const std::string& name,
                            const std::string& value);
/// rc.subr's checkyesno: YES, TRUE, ON or 1, any case.
bool IsYes(const std::optional<std::string>& value);

/// `sysctl -n NAME`, nullopt when the OID does not exist.
std::optional<std::string> Sysctl(const Host& host, const std::string& name);

/// A kernel module ljail's Linux jails need: the file kldload(8) takes and
/// the module name kldstat -m matches (they differ: linux64 registers
/// "linux64elf").
struct KernelModule {
  const char* file;
  const char* module;
  const char* purpose;
};
const std::vector<KernelModule>& LinuxJailModules();

/// `kldstat -q -m MODULE`.
bool ModuleLoaded(const Host& host, const std::string& module);
Command LoadModule(const std::string& file);

/// The host's release, "14.3-RELEASE" from kern.osrelease "14.3-RELEASE-p1".
struct HostRelease {
  std::string full;     ///< kern.osrelease as is
  std::string release;  ///< without the patch level
  int major = 0;
  int minor = 0;
};
HostRelease ReadHostRelease(const Host& host);
/// hw.machine_arch as the release URL layout names it: amd64 or arm64.
std::string ReadHostArch(const Host& host);

/// A downloaded `file` whose SHA-256 (sha256(1)) is not `expected` is
/// removed, so that no later step uses it and the next run fetches it
/// afresh; the error names `what`, whose word `expected` is (`vouched_by`:
/// "MANIFEST says") and what follows (`outcome`). Returns the digest.
std::string RequireSha256(const Host& host, const std::string& file, const std::string& expected,
                          const std::string& what, const std::string& vouched_by,
                          const std::string& outcome);

/// Templates on FreeBSD: debootstrap from ports (keyrings under
/// /usr/local), the architecture from hw.machine_arch, and the Linux ABI
/// (linux64elf) loaded before a second stage can run.
rootfs::TemplateHost TemplatePolicy();

}  // namespace ljail::host::freebsd
