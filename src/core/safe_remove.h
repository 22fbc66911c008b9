// Deleting a tree without ever leaving it (DESIGN.md, principle 4): no
// symbolic link is followed, and no mount point below it is entered, so a
// host /home shared into a jail can never be emptied through the jail.
#pragma once

#include <string>
#include <vector>

namespace ljail {

struct RemoveResult {
  size_t removed = 0;
  /// Mount points found below the top: left alone, with everything above
  /// them. A caller that meant to remove everything must treat this as an
  /// error (and unmount first).
  std::vector<std::string> mount_points_kept;
};

/// Removes `path` (a real path) and everything below it, entry by entry
/// with openat/unlinkat and O_NOFOLLOW. A directory on another mount (a
/// different st_dev, or on Linux a different statx mount id, which also
/// catches bind mounts of the same file system) is never entered. With
/// `keep_top`, `path` itself stays (emptied). A missing path is not an error.
RemoveResult RemoveTree(const std::string& path, bool keep_top = false);

}  // namespace ljail
