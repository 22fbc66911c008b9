#include "core/safe_remove.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#ifdef __linux__
#include <sys/sysmacros.h>
#endif
#include <unistd.h>

#include <cerrno>
#include <cstdint>

#include "core/error.h"

namespace ljail {
namespace {

// Which mount an entry lives on. st_dev tells file systems apart; on Linux
// a bind mount keeps its source's st_dev, so the mount id is needed too.
struct MountIdentity {
  dev_t dev = 0;
  uint64_t mount_id = 0;
  bool operator==(const MountIdentity& o) const { return dev == o.dev && mount_id == o.mount_id; }
};

MountIdentity Identify(int dirfd, const char* name, const std::string& path, mode_t* mode) {
  MountIdentity id;
#if defined(__linux__) && defined(STATX_MNT_ID)
  struct statx sx {};
  if (::statx(dirfd, name, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, STATX_TYPE | STATX_MNT_ID, &sx) !=
      0) {
    ThrowSystem("statx", path, errno);
  }
  id.dev = makedev(sx.stx_dev_major, sx.stx_dev_minor);
  id.mount_id = (sx.stx_mask & STATX_MNT_ID) ? sx.stx_mnt_id : 0;
  *mode = sx.stx_mode;
#else
  struct stat st {};
  if (::fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) ThrowSystem("stat", path, errno);
  id.dev = st.st_dev;
  *mode = st.st_mode;
#endif
  return id;
}

class Remover {
 public:
  explicit Remover(RemoveResult* result) : result_(result) {}

  // Empties the directory open as `fd` (which Remover closes).
  void Empty(int fd, const std::string& path, const MountIdentity& mount) {
    DIR* dir = ::fdopendir(fd);
    if (!dir) {
      int err = errno;
      ::close(fd);
      ThrowSystem("open directory", path, err);
    }
    std::vector<std::string> names;
    while (dirent* e = ::readdir(dir)) {
      std::string n = e->d_name;
      if (n != "." && n != "..") names.push_back(n);
    }
    for (const std::string& name : names) RemoveEntry(::dirfd(dir), name, path + "/" + name, mount);
    ::closedir(dir);
  }

 private:
  void RemoveEntry(int parent, const std::string& name, const std::string& path,
                   const MountIdentity& mount) {
    mode_t mode = 0;
    MountIdentity id = Identify(parent, name.c_str(), path, &mode);
    if (S_ISDIR(mode)) {
      if (!(id == mount)) {
        result_->mount_points_kept.push_back(path);  // another file system: never enter
        return;
      }
      int fd = ::openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0) ThrowSystem("open directory", path, errno);
      size_t kept_before = result_->mount_points_kept.size();
      Empty(fd, path, mount);
      if (result_->mount_points_kept.size() != kept_before) return;  // keep what holds a mount
      if (::unlinkat(parent, name.c_str(), AT_REMOVEDIR) != 0)
        ThrowSystem("remove directory", path, errno);
    } else if (::unlinkat(parent, name.c_str(), 0) != 0) {
      ThrowSystem("remove", path, errno);
    }
    ++result_->removed;
  }

  RemoveResult* result_;
};

}  // namespace

RemoveResult RemoveTree(const std::string& path, bool keep_top) {
  RemoveResult result;
  mode_t mode = 0;
  MountIdentity top;
  try {
    top = Identify(AT_FDCWD, path.c_str(), path, &mode);
  } catch (const Error& e) {
    if (e.sys_errno() == ENOENT) return result;
    throw;
  }
  if (!S_ISDIR(mode)) {
    if (keep_top) ThrowFailure("remove tree \"" + path + "\": not a directory");
    if (::unlink(path.c_str()) != 0) ThrowSystem("remove", path, errno);
    result.removed = 1;
    return result;
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) ThrowSystem("open directory", path, errno);
  Remover(&result).Empty(fd, path, top);
  if (!keep_top && result.mount_points_kept.empty()) {
    if (::rmdir(path.c_str()) != 0) ThrowSystem("remove directory", path, errno);
    ++result.removed;
  }
  return result;
}

}  // namespace ljail
