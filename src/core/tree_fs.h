// The one way host-side code touches a jail's tree (issue 13; DESIGN.md,
// principle 4).
//
// Everything in a tree is the jail root's to change, so each path is
// resolved inside the tree as if the tree were "/": a symbolic link is
// followed, but an absolute target or a ".." starts again at the tree's
// root, never at the host's, and no path leaves the tree, whatever links
// jail root has planted or swaps while ljail works. Linux resolves with
// openat2(2) RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS (5.6+); FreeBSD and
// older kernels with a walk of openat(2) O_NOFOLLOW, one component at a
// time from descriptors already inside the tree (".." is never handed to
// the kernel, so a directory moved elsewhere cannot take the walk out).
//
// Reads want a regular file (a FIFO is never waited on, /dev/zero is never
// read) and stop at a size limit; writes replace the last component (a
// temporary file renamed over it), never write through a link.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

#include "core/unique_fd.h"

namespace ljail {

/// What a tree file may weigh before a read of it is refused: far above any
/// passwd, os-release or dpkg status file a real system has.
inline constexpr size_t kTreeFileLimit = size_t{64} << 20;

class TreeFs {
 public:
  /// How paths are resolved: kKernel is openat2 (Linux), kWalk the portable
  /// walk (FreeBSD's, and the fallback). Tests run both on Linux.
  enum class Resolver { kKernel, kWalk };

  /// The tree whose root is the directory `real_root` (the path to open),
  /// named `shown_root` in messages. The root itself must be a directory
  /// and not a link; otherwise this throws (ENOENT included).
  static TreeFs Open(const std::string& real_root, std::string shown_root);
  static TreeFs Open(const std::string& real_root, std::string shown_root, Resolver resolver);

  const std::string& shown_root() const { return shown_; }
  Resolver resolver() const { return resolver_; }

  /// The bytes of the regular file at `path` ("/etc/passwd"), links followed
  /// inside the tree; nullopt when nothing is there. Anything but a regular
  /// file, or one larger than `limit`, is an error naming the path.
  std::optional<std::string> ReadFile(std::string_view path, size_t limit = kTreeFileLimit) const;
  /// Replaces `path` with `content` atomically; an existing regular file
  /// keeps its permission bits, a new one gets `mode`. A link at `path` is
  /// replaced, not written through. The parent directory must exist.
  void WriteFile(std::string_view path, std::string_view content, mode_t mode = 0644) const;
  /// mkdir -p inside the tree; the last directory gets `mode`.
  void MakeDirectories(std::string_view path, mode_t mode = 0755) const;
  /// Makes `path` a symbolic link to `target` (a link renamed over it).
  void Symlink(std::string_view target, std::string_view path) const;
  /// Removes the file or link at `path` (never a directory, never what a
  /// link points to); nothing there is not an error.
  void Remove(std::string_view path) const;
  /// The target of the link at `path`; nullopt when it is not a link.
  std::optional<std::string> ReadLink(std::string_view path) const;
  /// lstat(2) of `path` (its last component not followed), nullopt when
  /// nothing is there.
  std::optional<struct stat> LinkStatus(std::string_view path) const {
    return StatusOf(path, false);
  }
  /// stat(2) of `path`, links followed inside the tree.
  std::optional<struct stat> Status(std::string_view path) const { return StatusOf(path, true); }
  bool Exists(std::string_view path) const { return LinkStatus(path).has_value(); }
  bool IsDirectory(std::string_view path) const;
  /// What stops `path` from being a mount point as jail(8) checks one
  /// (usr.sbin/jail/command.c, check_path: each component lstat'ed from
  /// the top): the first component that is a symbolic link, or the first
  /// that does not exist. nullopt when there is neither. The one check of
  /// create (before a config is written) and of the Linux runtime's start.
  struct Obstacle {
    std::string path;  ///< the component, from the tree's root ("/lib")
    bool missing = false;
  };
  std::optional<Obstacle> FirstObstacle(std::string_view path) const;
  /// The directory at `path`, opened (read-only) for an *at() call or a
  /// directory listing; throws when it is not one.
  UniqueFd OpenDirectory(std::string_view path) const;

 private:
  TreeFs(UniqueFd root, std::string shown, Resolver resolver);

  // The parent directory of `path`'s last component, and that component.
  struct Entry {
    UniqueFd parent;
    std::string name;
  };
  // The directory at `dir`, all links followed inside the tree; -1 with
  // `*err` set when there is none.
  UniqueFd OpenDirectoryAt(std::string_view dir, int* err) const;
  // Locates `path`; with `follow`, a link in the last place is followed
  // (inside the tree) until something else is there.
  std::optional<Entry> Locate(std::string_view path, bool follow, struct stat* st, int* err) const;
  std::optional<struct stat> StatusOf(std::string_view path, bool follow) const;
  std::string Shown(std::string_view path) const;

  UniqueFd root_;
  std::string shown_;
  Resolver resolver_;
};

}  // namespace ljail
