// jail(8)'s `mount` lines translated into Linux file systems (DESIGN.md,
// "The Linux path"). A line is one fstab(5) entry, read as jail(8) reads it
// (docs/freebsd.md §3.1): whitespace-separated fields, vis(3) escapes in
// the first two, only the first four used. The translation is data: the
// runtime performs it, `start --dry-run` prints it, tests read it.
//
//   FreeBSD      Linux
//   devfs        tmpfs with null zero full random urandom tty, a private
//                devpts at pts/ with ptmx, and the empty shm/ and fd/
//   fdescfs      /dev/fd as a link to /proc/self/fd (only inside a devfs)
//   linprocfs    proc
//   linsysfs     sysfs, always read-only
//   tmpfs        tmpfs (size, mode, uid, gid, inodes)
//   nullfs       a bind mount (not recursive, like nullfs), ro remounted
//   overlay      overlay (Linux hosts: a jail's thin clone of its template)
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "runtime/linux/syscalls.h"

namespace ljail::host::linux_ns {

/// One file-system operation of a translated line.
struct FsOp {
  enum class Kind {
    kMount,            ///< mount(2) `mount`
    kRemountFlags,     ///< a bind mount given its flags (`mount.flags`: ro, nodev...)
    kMakeDevice,       ///< mknod `path` (character device `device`, `mode`)
    kMakeDirectory,    ///< mkdir `path` with `mode`
    kSymlink,          ///< `path` -> `link_target`
    kReplaceWithLink,  ///< rmdir the empty `path`, then `path` -> `link_target`
  };
  Kind kind = Kind::kMount;
  MountOp mount;
  std::string path;
  std::string link_target;
  mode_t mode = 0;
  dev_t device = 0;
};

/// One `mount` line, checked and translated.
struct TranslatedMount {
  std::string line;         ///< as written in the config
  std::string fstype;       ///< FreeBSD's name ("linprocfs")
  std::string mount_point;  ///< host path, as written (before --root)
  std::vector<FsOp> ops;    ///< with real paths (after --root)
};

/// Maps a host path to the path to open (the --root prefix).
using RealPath = std::function<std::string(const std::string&)>;

/// Translates the `mount` lines of a jail whose `path` is `jail_path`, in
/// order. Refuses (usage error naming the line) file systems and options
/// with no faithful Linux meaning, mount points outside `path`, and fdescfs
/// anywhere but in a directory of an earlier devfs line. With a user
/// namespace whose root is host id `userns_base` (not 0), binds and the
/// overlay's layers are idmapped (a tree without an overlay gets an
/// idmapped bind onto itself first) and tmpfs/devpts ids are shifted.
std::vector<TranslatedMount> TranslateMounts(const std::vector<std::string>& lines,
                                             const std::string& jail_path, const RealPath& real,
                                             uint32_t userns_base = 0);

/// A shell-like rendering of one operation, for --dry-run and messages:
/// "mount -t proc -o nosuid,nodev,noexec proc /x/proc".
std::string DescribeOp(const FsOp& op);

}  // namespace ljail::host::linux_ns
