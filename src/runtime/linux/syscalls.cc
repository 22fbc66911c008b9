#include "runtime/linux/syscalls.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <grp.h>
#include <linux/mount.h>
#include <linux/securebits.h>
#include <net/if.h>
#include <sched.h>
#include <sys/fsuid.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "core/error.h"

namespace ljail::host::linux_ns {
namespace {

[[noreturn]] void Fail(const std::string& what, int err, const std::string& hint = "") {
  std::string message = fmt::format("{}: {}", what, ErrnoText(err));
  if (!hint.empty()) message += " (hint: " + hint + ")";
  throw Error(ExitCode::kFailed, message, err);
}

}  // namespace

std::string MountHint(int err, const std::string& fstype) {
  switch (err) {
    case EPERM:
      return "mounting needs real root (CAP_SYS_ADMIN in the host's user namespace)";
    case ENODEV:
      return fmt::format("the kernel has no {} file system: load its module (modprobe {})", fstype,
                         fstype);
    case ENOENT:
      return "the mount point or the source does not exist";
    case EBUSY:
      return "something is mounted there already, or a process uses it";
    case EINVAL:
      return fstype == "overlay"
                 ? "overlayfs refused the layers: upper and work must be on one "
                   "file system that supports it (not overlay, not tmpfs on old kernels)"
                 : "a bad option for this file system";
    case ENOSPC:
      return "mount table full (fs.mount-max)";
    default:
      return "";
  }
}

void Mount(const MountOp& op) {
  const char* source = op.source.empty() ? nullptr : op.source.c_str();
  const char* fstype = op.fstype.empty() ? nullptr : op.fstype.c_str();
  const void* data = op.data.empty() ? nullptr : op.data.c_str();
  if (::mount(source, op.target.c_str(), fstype, op.flags, data) != 0) {
    int err = errno;
    Fail(fmt::format("mount {} \"{}\" on \"{}\"{}", op.fstype.empty() ? "--bind" : op.fstype,
                     op.source, op.target, op.data.empty() ? "" : " (" + op.data + ")"),
         err, MountHint(err, op.fstype));
  }
}

void MakeMountsPrivate() {
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    Fail("make mounts private (mount --make-rprivate /)", errno);
  }
}

void RemountBind(const std::string& target, unsigned long flags) {
  if (::mount(nullptr, target.c_str(), nullptr, MS_REMOUNT | MS_BIND | flags, nullptr) != 0) {
    Fail(fmt::format("remount \"{}\" with flags {:#x}", target, flags), errno);
  }
}

void Unmount(const std::string& target, int flags) {
  if (::umount2(target.c_str(), flags) != 0) {
    int err = errno;
    Fail(fmt::format("umount \"{}\"", target), err, err == EBUSY ? "a process still uses it" : "");
  }
}

void Unshare(int flags, const std::string& why) {
  if (::unshare(flags) != 0) {
    int err = errno;
    Fail("unshare " + why, err, err == EPERM ? "namespaces need real root" : "");
  }
}

int OpenNamespace(pid_t pid, const std::string& name) {
  std::string path = fmt::format("/proc/{}/ns/{}", pid, name);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) Fail(fmt::format("open \"{}\"", path), errno, "is the jail's keeper still running?");
  return fd;
}

void JoinNamespace(int fd, int nstype, const std::string& what) {
  int rc = ::setns(fd, nstype);
  int err = errno;
  ::close(fd);
  if (rc != 0) Fail(fmt::format("setns {}", what), err);
}

void JoinNamespace(pid_t pid, const std::string& name, int nstype) {
  JoinNamespace(OpenNamespace(pid, name), nstype, fmt::format("\"/proc/{}/ns/{}\"", pid, name));
}

void PivotInto(const std::string& tree) {
  // pivot_root(2) wants the new root to be a mount point of its own.
  Mount({tree, tree, "", MS_BIND | MS_REC, ""});
  if (::chdir(tree.c_str()) != 0) Fail(fmt::format("chdir \"{}\"", tree), errno);
  if (::syscall(SYS_pivot_root, ".", ".") != 0)
    Fail(fmt::format("pivot_root into \"{}\"", tree), errno);
  // The old root now lies on top of the new one: detach it.
  if (::umount2(".", MNT_DETACH) != 0) Fail("detach the host's root after pivot_root", errno);
  if (::chdir("/") != 0) Fail("chdir / after pivot_root", errno);
}

void SetHostname(const std::string& hostname) {
  if (::sethostname(hostname.data(), hostname.size()) != 0) {
    Fail(fmt::format("sethostname \"{}\"", hostname), errno);
  }
}

int OpenIdmappedTree(const std::string& path, int userns_fd) {
  int fd = static_cast<int>(
      ::syscall(SYS_open_tree, AT_FDCWD, path.c_str(), OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC));
  if (fd < 0) Fail(fmt::format("open_tree \"{}\"", path), errno);
  mount_attr attr{};
  attr.attr_set = MOUNT_ATTR_IDMAP;
  attr.userns_fd = static_cast<uint64_t>(userns_fd);
  if (::syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH, &attr, sizeof attr) != 0) {
    int err = errno;
    ::close(fd);
    Fail(fmt::format("idmap \"{}\" for the jail's user namespace (mount_setattr)", path), err,
         err == EINVAL ? "its file system cannot be idmapped (ext4, xfs, btrfs and tmpfs can; "
                         "overlayfs, NFS and FUSE cannot): create the jail without --userns"
                       : "");
  }
  return fd;
}

int MountDetachedOverlay(const std::string& lower_layers, const std::string& what) {
  int fs = static_cast<int>(::syscall(SYS_fsopen, "overlay", FSOPEN_CLOEXEC));
  if (fs < 0) Fail(fmt::format("fsopen overlay for {}", what), errno);
  auto fail = [&](const char* call) {
    int err = errno;
    ::close(fs);
    Fail(fmt::format("{} overlay of \"{}\" for {}", call, lower_layers, what), err);
  };
  if (::syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "lowerdir", lower_layers.c_str(), 0) != 0)
    fail("fsconfig lowerdir");
  if (::syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) != 0)
    fail("fsconfig create");
  int mnt = static_cast<int>(
      ::syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC,
                MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC));
  if (mnt < 0) fail("fsmount");
  ::close(fs);
  return mnt;
}

void AttachTree(int fd, const std::string& target) {
  int rc = static_cast<int>(
      ::syscall(SYS_move_mount, fd, "", AT_FDCWD, target.c_str(), MOVE_MOUNT_F_EMPTY_PATH));
  int err = errno;
  ::close(fd);
  if (rc != 0) Fail(fmt::format("move_mount onto \"{}\"", target), err);
}

void SetFileIds(uid_t uid, gid_t gid) {
  if (::prctl(PR_SET_SECUREBITS, uid == 0 && gid == 0 ? 0 : SECBIT_NO_SETUID_FIXUP, 0, 0, 0) != 0)
    Fail("prctl(PR_SET_SECUREBITS)", errno);
  // setfsuid(2) reports no error; the id it returns on a second call is the one in force.
  ::setfsgid(gid);
  ::setfsuid(uid);
  if (static_cast<uid_t>(::setfsuid(uid)) != uid || static_cast<gid_t>(::setfsgid(gid)) != gid)
    Fail(fmt::format("setfsuid {} / setfsgid {}", uid, gid), EPERM);
}

void BecomeNamespaceRoot(int fd, const std::string& what) {
  JoinNamespace(fd, CLONE_NEWUSER, what);
  if (::setgroups(0, nullptr) != 0) Fail("setgroups (none) in " + what, errno);
  if (::setresgid(0, 0, 0) != 0) Fail("setresgid 0 in " + what, errno);
  if (::setresuid(0, 0, 0) != 0) Fail("setresuid 0 in " + what, errno);
}

void WriteIdMaps(pid_t pid, uint32_t base, uint32_t count) {
  std::string line = fmt::format("0 {} {}\n", base, count);
  for (const char* map : {"uid_map", "gid_map"}) {
    std::string path = fmt::format("/proc/{}/{}", pid, map);
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) Fail(fmt::format("open \"{}\"", path), errno);
    ssize_t n = ::write(fd, line.data(), line.size());
    int err = errno;
    ::close(fd);
    if (n != static_cast<ssize_t>(line.size())) Fail(fmt::format("write \"{}\"", path), err);
  }
}

void MakeDevice(const std::string& path, mode_t mode, dev_t device) {
  if (::mknod(path.c_str(), S_IFCHR | mode, device) != 0) {
    Fail(fmt::format("mknod \"{}\"", path), errno);
  }
  if (::chmod(path.c_str(), mode) != 0) Fail(fmt::format("chmod \"{}\"", path), errno);
}

void BecomeUser(uid_t uid, gid_t gid, const std::vector<gid_t>& groups) {
  if (::setgroups(groups.size(), groups.data()) != 0) Fail("setgroups", errno);
  if (::setgid(gid) != 0) Fail(fmt::format("setgid {}", gid), errno);
  if (::setuid(uid) != 0) Fail(fmt::format("setuid {}", uid), errno);
}

void BringLoopbackUp() {
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) Fail("socket for the loopback", errno);
  struct ifreq request {};
  (void)std::snprintf(request.ifr_name, sizeof request.ifr_name, "lo");
  int rc = ::ioctl(fd, SIOCGIFFLAGS, &request);
  if (rc == 0) {
    request.ifr_flags = static_cast<short>(request.ifr_flags | IFF_UP | IFF_RUNNING);
    rc = ::ioctl(fd, SIOCSIFFLAGS, &request);
  }
  int err = errno;
  ::close(fd);
  if (rc != 0) Fail("bring the loopback up", err);
}

void DropBoundingCapability(int capability, const std::string& name) {
  if (::prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0)
    ThrowSystem("prctl(PR_CAPBSET_DROP)", name, errno);
}

}  // namespace ljail::host::linux_ns
