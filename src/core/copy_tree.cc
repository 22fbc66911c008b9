#include "core/copy_tree.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/fs.h>
#endif

#include <cerrno>
#include <map>
#include <utility>
#include <vector>

#include "core/error.h"

namespace ljail {
namespace {

class Copier {
 public:
  CopyStats stats;

  void Directory(const std::string& from, const std::string& to) {
    DIR* dir = ::opendir(from.c_str());
    if (!dir) ThrowSystem("open directory", from, errno);
    std::vector<std::string> names;
    while (dirent* e = ::readdir(dir)) {
      std::string n = e->d_name;
      if (n != "." && n != "..") names.push_back(n);
    }
    ::closedir(dir);
    for (const std::string& n : names) Entry(from + "/" + n, to + "/" + n);
  }

  void Entry(const std::string& from, const std::string& to) {
    struct stat st {};
    if (::lstat(from.c_str(), &st) != 0) ThrowSystem("stat", from, errno);
    ++stats.entries;
    if (S_ISDIR(st.st_mode)) {
      if (::mkdir(to.c_str(), 0700) != 0 && errno != EEXIST)
        ThrowSystem("create directory", to, errno);
      Directory(from, to);
    } else if (S_ISLNK(st.st_mode)) {
      std::string target(static_cast<size_t>(st.st_size) + 1, '\0');
      ssize_t n = ::readlink(from.c_str(), target.data(), target.size());
      if (n < 0) ThrowSystem("read link", from, errno);
      target.resize(static_cast<size_t>(n));
      ::unlink(to.c_str());
      if (::symlink(target.c_str(), to.c_str()) != 0) ThrowSystem("create link", to, errno);
    } else if (S_ISREG(st.st_mode) && st.st_nlink > 1 && links_.count({st.st_dev, st.st_ino})) {
      ::unlink(to.c_str());
      if (::link(links_[{st.st_dev, st.st_ino}].c_str(), to.c_str()) != 0)
        ThrowSystem("link", to, errno);
      return;  // a hard link shares owner, mode and times with its first name
    } else if (S_ISREG(st.st_mode)) {
      File(from, to);
      if (st.st_nlink > 1) links_[{st.st_dev, st.st_ino}] = to;
    } else {
      ::unlink(to.c_str());
      if (::mknod(to.c_str(), st.st_mode, st.st_rdev) != 0) ThrowSystem("create node", to, errno);
    }
    Attributes(to, st);
  }

 private:
  void File(const std::string& from, const std::string& to) {
    int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (in < 0) ThrowSystem("open", from, errno);
    int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (out < 0) {
      int err = errno;
      ::close(in);
      ThrowSystem("create", to, err);
    }
#ifdef FICLONE
    if (::ioctl(out, FICLONE, in) == 0) {
      ++stats.reflinked;
      ::close(in);
      ::close(out);
      return;
    }
#endif
    char buffer[1 << 16];
    for (;;) {
      ssize_t n = ::read(in, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        int err = errno;
        ::close(in);
        ::close(out);
        ThrowSystem("read", from, err);
      }
      if (n == 0) break;
      for (ssize_t done = 0; done < n;) {
        ssize_t w = ::write(out, buffer + done, static_cast<size_t>(n - done));
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) {
          int err = errno;
          ::close(in);
          ::close(out);
          ThrowSystem("write", to, err);
        }
        done += w;
      }
    }
    ::close(in);
    ::close(out);
  }

  static void Attributes(const std::string& to, const struct stat& st) {
    (void)::lchown(to.c_str(), st.st_uid, st.st_gid);  // needs root; best effort otherwise
    if (!S_ISLNK(st.st_mode)) ::chmod(to.c_str(), st.st_mode & 07777);
    struct timespec times[2] = {st.st_atim, st.st_mtim};
    ::utimensat(AT_FDCWD, to.c_str(), times, AT_SYMLINK_NOFOLLOW);
  }

  std::map<std::pair<dev_t, ino_t>, std::string> links_;
};

}  // namespace

CopyStats CopyTree(const std::string& from, const std::string& to) {
  struct stat st {};
  if (::stat(from.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    ThrowSystem("copy from", from, ENOTDIR);
  if (::mkdir(to.c_str(), st.st_mode & 07777) != 0 && errno != EEXIST)
    ThrowSystem("create directory", to, errno);
  Copier c;
  c.Directory(from, to);
  return c.stats;
}

}  // namespace ljail
