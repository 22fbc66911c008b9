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
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/unique_fd.h"

namespace ljail {
namespace {

// Which mount an entry lives on. st_dev tells file systems apart; on Linux
// a bind mount keeps its source's st_dev, so the mount id is needed too.
struct MountIdentity {
  dev_t dev = 0;
  uint64_t mount_id = 0;
  bool operator==(const MountIdentity& o) const { return dev == o.dev && mount_id == o.mount_id; }
};

// `path` names the entry in a message, and is only computed for one: at
// depth N it costs N steps, which per entry would make a deep tree's
// removal quadratic (30,000 levels took minutes).
MountIdentity Identify(int dirfd, const char* name, const std::function<std::string()>& path,
                       mode_t* mode) {
  MountIdentity id;
#if defined(__linux__) && defined(STATX_MNT_ID)
  struct statx sx {};
  if (::statx(dirfd, name, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, STATX_TYPE | STATX_MNT_ID, &sx) !=
      0) {
    ThrowSystem("statx", path(), errno);
  }
  id.dev = makedev(sx.stx_dev_major, sx.stx_dev_minor);
  id.mount_id = (sx.stx_mask & STATX_MNT_ID) ? sx.stx_mnt_id : 0;
  *mode = sx.stx_mode;
#else
  struct stat st {};
  if (::fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) ThrowSystem("stat", path(), errno);
  id.dev = st.st_dev;
  *mode = st.st_mode;
#endif
  return id;
}

// Names in a directory, "." and ".." left out; the DIR owns and closes `fd`
// (a duplicate, so the caller's stays open).
std::vector<std::string> ListNames(int fd, const std::function<std::string()>& path) {
  int dup = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (dup < 0) ThrowSystem("open directory", path(), errno);
  DIR* dir = ::fdopendir(dup);
  if (!dir) {
    int err = errno;
    ::close(dup);
    ThrowSystem("open directory", path(), err);
  }
  std::vector<std::string> names;
  while (dirent* e = ::readdir(dir)) {
    std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(std::move(n));
  }
  ::closedir(dir);
  return names;
}

// Depth first without recursion and with a bounded number of descriptors:
// a tree 30,000 directories deep (jail root can make one) is removed like
// any other. A directory whose descriptor was closed to stay in bounds is
// reopened from its child through "..", and must still be the directory it
// was (device and inode), or the removal stops: it was moved meanwhile.
class Remover {
 public:
  Remover(std::string top, const MountIdentity& mount, RemoveResult* result)
      : top_(std::move(top)), mount_(mount), result_(result) {}

  // Empties the directory open as `fd`.
  void Empty(UniqueFd fd) {
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) ThrowSystem("stat", top_, errno);
    stack_.push_back(Frame{std::move(fd), "", st.st_dev, st.st_ino, {}, 0, false});
    stack_.back().names = ListNames(stack_.back().fd.get(), [this] { return PathOf(0); });
    while (!stack_.empty()) {
      Frame& f = stack_.back();
      if (f.next == f.names.size()) {
        Leave();
        continue;
      }
      std::string name = f.names[f.next++];  // a copy: Visit grows the stack
      Visit(name);
    }
  }

 private:
  struct Frame {
    UniqueFd fd;       // closed (invalid) while far above the deepest frame
    std::string name;  // in its parent ("" for the top)
    dev_t dev;
    ino_t ino;
    std::vector<std::string> names;
    size_t next;
    bool keeps_mount;  // something below is a mount point: this stays
  };
  // Descriptors held at once, whatever the depth.
  static constexpr size_t kOpenFrames = 32;

  std::string PathOf(size_t depth, const std::string& leaf = "") const {
    std::string path = top_;
    for (size_t i = 1; i <= depth && i < stack_.size(); ++i) path += "/" + stack_[i].name;
    return leaf.empty() ? path : path + "/" + leaf;
  }

  void Visit(const std::string& name) {
    size_t depth = stack_.size() - 1;
    int parent = stack_.back().fd.get();
    auto path = [&] { return PathOf(depth, name); };
    mode_t mode = 0;
    MountIdentity id = Identify(parent, name.c_str(), path, &mode);
    if (!S_ISDIR(mode)) {
      if (::unlinkat(parent, name.c_str(), 0) != 0) ThrowSystem("remove", path(), errno);
      ++result_->removed;
      return;
    }
    if (!(id == mount_)) {
      result_->mount_points_kept.push_back(path());  // another file system: never enter
      for (Frame& f : stack_) f.keeps_mount = true;
      return;
    }
    UniqueFd fd(::openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd.valid()) ThrowSystem("open directory", path(), errno);
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) ThrowSystem("stat", path(), errno);
    std::vector<std::string> names = ListNames(fd.get(), path);
    stack_.push_back(Frame{std::move(fd), name, st.st_dev, st.st_ino, std::move(names), 0, false});
    // Stay in bounds: close the oldest open frame below the top one.
    if (stack_.size() > kOpenFrames + 1) stack_[stack_.size() - kOpenFrames - 1].fd.Reset();
  }

  // The deepest directory is empty: remove it from its parent.
  void Leave() {
    Frame done = std::move(stack_.back());
    stack_.pop_back();
    if (stack_.empty()) return;  // the top: the caller decides
    Frame& parent = stack_.back();
    if (!parent.fd.valid()) {
      UniqueFd up(::openat(done.fd.get(), "..", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      struct stat st {};
      if (!up.valid() || ::fstat(up.get(), &st) != 0)
        ThrowSystem("reopen directory", PathOf(stack_.size() - 1), errno);
      if (st.st_dev != parent.dev || st.st_ino != parent.ino)
        ThrowFailure("remove tree \"" + top_ + "\": " + PathOf(stack_.size() - 1) +
                     " was moved while it was being removed; nothing outside it was touched");
      parent.fd = std::move(up);
    }
    if (done.keeps_mount) return;  // keep what holds a mount
    if (::unlinkat(parent.fd.get(), done.name.c_str(), AT_REMOVEDIR) != 0)
      ThrowSystem("remove directory", PathOf(stack_.size() - 1, done.name), errno);
    ++result_->removed;
  }

  std::string top_;
  MountIdentity mount_;
  RemoveResult* result_;
  std::vector<Frame> stack_;
};

}  // namespace

RemoveResult RemoveTree(const std::string& path, bool keep_top) {
  RemoveResult result;
  mode_t mode = 0;
  MountIdentity top;
  try {
    top = Identify(
        AT_FDCWD, path.c_str(), [&] { return path; }, &mode);
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
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid()) ThrowSystem("open directory", path, errno);
  Remover(path, top, &result).Empty(std::move(fd));
  if (!keep_top && result.mount_points_kept.empty()) {
    if (::rmdir(path.c_str()) != 0) ThrowSystem("remove directory", path, errno);
    ++result.removed;
  }
  return result;
}

}  // namespace ljail
