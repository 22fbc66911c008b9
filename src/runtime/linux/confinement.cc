#include "runtime/linux/confinement.h"

#include <linux/capability.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "core/error.h"
#include "runtime/linux/syscalls.h"

namespace ljail::host::linux_ns {
namespace {

// linux/keyctl.h's KEYCTL_JOIN_SESSION_KEYRING (libkeyutils is not needed
// for one call).
constexpr long kKeyctlJoinSessionKeyring = 1;

// Each row: a capability, and the FreeBSD privilege (sys/sys/priv.h) that
// prison_priv_check() refuses to a jail's root for the same power.
constexpr DroppedCapability kAlwaysDropped[] = {
    {CAP_SYS_ADMIN, "CAP_SYS_ADMIN", "mount, swap, quotas, namespaces (PRIV_VFS_MOUNT...)"},
    {CAP_SYS_MODULE, "CAP_SYS_MODULE", "kernel modules (PRIV_KLD_LOAD)"},
    {CAP_SYS_RAWIO, "CAP_SYS_RAWIO", "raw I/O ports and memory (PRIV_IO, PRIV_KMEM_WRITE)"},
    {CAP_SYS_TIME, "CAP_SYS_TIME", "the host's clock (PRIV_CLOCK_SETTIME)"},
    {CAP_SYS_BOOT, "CAP_SYS_BOOT", "reboot and kexec (PRIV_REBOOT)"},
    {CAP_SYS_PTRACE, "CAP_SYS_PTRACE", "debugging processes of other users (PRIV_DEBUG_DIFFUID)"},
    {CAP_DAC_READ_SEARCH, "CAP_DAC_READ_SEARCH", "open_by_handle_at: files outside the root"},
    {CAP_MKNOD, "CAP_MKNOD", "device nodes (PRIV_VFS_MKNOD_DEV)"},
    {CAP_MAC_ADMIN, "CAP_MAC_ADMIN", "the MAC policy (PRIV_MAC_PARTITION)"},
    {CAP_MAC_OVERRIDE, "CAP_MAC_OVERRIDE", "overriding the MAC policy"},
    {CAP_SYSLOG, "CAP_SYSLOG", "the kernel's message buffer (PRIV_MSGBUF)"},
    {CAP_AUDIT_CONTROL, "CAP_AUDIT_CONTROL", "the audit configuration (PRIV_AUDIT_CONTROL)"},
    {CAP_AUDIT_READ, "CAP_AUDIT_READ", "reading the audit log (PRIV_AUDIT_GETAUDIT)"},
    {CAP_BPF, "CAP_BPF", "BPF programs in the host's kernel"},
    {CAP_PERFMON, "CAP_PERFMON", "performance monitoring of the host (PRIV_PMC_SYSTEM)"},
    {CAP_SYS_PACCT, "CAP_SYS_PACCT", "process accounting (PRIV_ACCT)"},
    {CAP_LINUX_IMMUTABLE, "CAP_LINUX_IMMUTABLE", "system file flags (PRIV_VFS_SYSFLAGS)"},
    {CAP_WAKE_ALARM, "CAP_WAKE_ALARM", "alarms that wake the host"},
    {CAP_BLOCK_SUSPEND, "CAP_BLOCK_SUSPEND", "keeping the host from suspending"},
};

// A directory (never a link jail root planted: the path is in its tree)
// with a file system of type `magic` mounted on it.
bool IsFileSystem(const std::string& path, long magic) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return false;
  struct statfs fs {};
  return ::statfs(path.c_str(), &fs) == 0 && static_cast<long>(fs.f_type) == magic;
}

// A read-only bind of a path onto itself: jail root, without CAP_SYS_ADMIN,
// cannot make it writable again.
void ReadOnlyInPlace(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return;  // not in this kernel
  Mount({path, path, "", MS_BIND | MS_REC, ""});
  RemountBind(path, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC);
}

// An empty, read-only view over a file (bind of /dev/null) or a directory
// (a read-only tmpfs), as runc's maskedPaths.
void Mask(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return;
  if (S_ISDIR(st.st_mode)) {
    Mount({"tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0"});
  } else {
    Mount({"/dev/null", path, "", MS_BIND, ""});
  }
}

}  // namespace

std::vector<DroppedCapability> DroppedCapabilities(const Allowances& allowed) {
  std::vector<DroppedCapability> out(std::begin(kAlwaysDropped), std::end(kAlwaysDropped));
  if (!allowed.vnet) {
    out.push_back({CAP_NET_ADMIN, "CAP_NET_ADMIN",
                   "the host's interfaces, routes and firewall (PRIV_NET_*; a vnet jail's root "
                   "configures its own)"});
  }
  if (!allowed.raw_sockets) {
    out.push_back(
        {CAP_NET_RAW, "CAP_NET_RAW", "raw sockets (PRIV_NETINET_RAW; allow.raw_sockets)"});
  }
  return out;
}

void ConfineProcess(const Allowances& allowed) {
  for (const DroppedCapability& c : DroppedCapabilities(allowed)) {
    DropBoundingCapability(c.number, c.name);
  }
  if (::syscall(SYS_keyctl, kKeyctlJoinSessionKeyring, nullptr) < 0) {
    ThrowSystem("keyctl(KEYCTL_JOIN_SESSION_KEYRING)", "a session keyring of the jail's own",
                errno);
  }
}

void MaskKernelInterfaces(const std::string& tree) {
  // The jail's procfs, just mounted by mount_setup (which refused a link on
  // the way): below it is the kernel's, not jail root's.
  const std::string proc = tree + "/proc";  // tree-path-ok
  if (IsFileSystem(proc, PROC_SUPER_MAGIC)) {
    for (const char* global : {"/sys", "/sysrq-trigger", "/irq", "/bus", "/fs"}) {
      ReadOnlyInPlace(proc + global);
    }
    for (const char* memory : {"/kcore", "/kallsyms", "/keys", "/timer_list", "/sched_debug",
                               "/acpi", "/scsi", "/latency_stats"}) {
      Mask(proc + memory);
    }
  }
}

}  // namespace ljail::host::linux_ns
