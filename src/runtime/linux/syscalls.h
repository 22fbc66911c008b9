// The only place ljail makes privileged system calls on Linux
// (code-style-anchors §6.10): mount, umount2, unshare, setns, pivot_root,
// open_tree/mount_setattr/move_mount, fsopen/fsconfig/fsmount, sethostname, mknod, the set*id
// family, and the loopback's flags. Each takes a typed operation and fails with one message shape:
// "<call> <what>: <strerror>[ (hint: ...)]". A CI check (scripts/lint) refuses these calls anywhere
// else under src/.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace ljail::host::linux_ns {

/// A mount(2) call. Safe here because every mount ljail makes happens in a
/// jail's own mount namespace, after "/" was made recursively private: none
/// propagates to the host.
struct MountOp {
  std::string source;
  std::string target;
  std::string fstype;  ///< "" for bind and remount
  unsigned long flags = 0;
  std::string data;  ///< file-system options ("size=1g,mode=1777")
  /// Not 0: a bind mount, or an overlay's layers, seen through the jail's
  /// user namespace, whose ids 0... inside are this host id and up
  /// (mount(8)'s X-mount.idmap). Performed by mount_setup, not Mount().
  uint32_t idmap_base = 0;
};

void Mount(const MountOp& op);
/// Makes every mount of this namespace private: nothing made here reaches
/// the host's mount table, nothing the host mounts later appears here.
void MakeMountsPrivate();
/// Sets per-mount flags (MS_RDONLY, MS_NOSUID...) on what is mounted at
/// `target`: a bind mount ignores them when it is made.
void RemountBind(const std::string& target, unsigned long flags);
void Unmount(const std::string& target, int flags = 0);

/// unshare(2) of the given CLONE_NEW* flags.
void Unshare(int flags, const std::string& why);
/// setns(2) into /proc/<pid>/ns/<name>.
void JoinNamespace(pid_t pid, const std::string& name, int nstype);
/// The same in two steps: the namespace opened while /proc is the host's,
/// joined later (the fd is closed).
int OpenNamespace(pid_t pid, const std::string& name);
void JoinNamespace(int fd, int nstype, const std::string& what);

/// Makes `tree` the root of this mount namespace and detaches the old root
/// (pivot_root(2) as runc does it: tree bound onto itself, pivot_root(".",
/// "."), the old root unmounted lazily): nothing in the namespace leads back
/// to the host's file system any more, and a process that joins it starts
/// at the tree's root.
void PivotInto(const std::string& tree);
void SetHostname(const std::string& hostname);

/// A detached copy of the mount at `path` (not recursive) that shows each
/// file's on-disk owner N as the host id that N is inside the user
/// namespace `userns_fd` (open_tree(2) OPEN_TREE_CLONE, then mount_setattr(2)
/// MOUNT_ATTR_IDMAP). The caller owns the descriptor; "/proc/self/fd/N"
/// names the copy's root.
int OpenIdmappedTree(const std::string& path, int userns_fd);
/// A read-only overlay of `lower_layers` ("top:...:bottom", no upper and no
/// work directory, so nothing is written to any layer), detached: mounted
/// nowhere, in no namespace, gone with the last descriptor into it
/// (fsopen(2), fsconfig(2), fsmount(2)). The caller owns the descriptor;
/// "/proc/self/fd/N" names the overlay's root. `what` names it in errors.
int MountDetachedOverlay(const std::string& lower_layers, const std::string& what);
/// Attaches a detached mount at `target` (move_mount(2)) and closes `fd`.
void AttachTree(int fd, const std::string& target);
/// The owner new files get (setfsuid/setfsgid), capabilities kept: the
/// keeper makes the jail's mounts as the jail's root would own them.
/// SECBIT_NO_SETUID_FIXUP is set for it and cleared again by `0, 0`.
void SetFileIds(uid_t uid, gid_t gid);
/// Joins the user namespace `fd` (closed) and becomes its root: no
/// supplementary groups, uid and gid 0 inside. setns(2) gives every
/// capability of that namespace back, so confinement comes after this.
void BecomeNamespaceRoot(int fd, const std::string& what);
/// Writes /proc/PID/uid_map and gid_map: ids 0..count-1 of the namespace
/// of `pid` are host ids base..base+count-1.
void WriteIdMaps(pid_t pid, uint32_t base, uint32_t count);
/// A character device node with exactly `mode` (the umask does not apply).
void MakeDevice(const std::string& path, mode_t mode, dev_t device);
/// Becomes `uid` with primary group `gid` and exactly `groups`: the order
/// setgroups, setgid, setuid, as login(1) does; irreversible.
void BecomeUser(uid_t uid, gid_t gid, const std::vector<gid_t>& groups);
/// `ip link set lo up` in the current network namespace.
void BringLoopbackUp();
/// Removes `capability` from the bounding set: no program this process
/// executes, root included, gets it back (prctl PR_CAPBSET_DROP).
void DropBoundingCapability(int capability, const std::string& name);

/// "mount: ..." style hint for an errno the kernel uses for several causes.
std::string MountHint(int err, const std::string& fstype);

}  // namespace ljail::host::linux_ns
