#include "core/tree_fs.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/openat2.h>
#include <sys/syscall.h>
#endif

#include <cerrno>
#include <climits>
#include <cstdint>
#include <deque>
#include <random>
#include <vector>

#include "core/error.h"
#include "core/strings.h"

namespace ljail {
namespace {

// As the kernels: 40 links in one resolution (Linux's MAXSYMLINKS; FreeBSD's
// is 32, and no real tree comes near either).
constexpr int kMaxLinks = 40;
// Directories held open by one walk; deeper paths are refused (ENAMETOOLONG)
// rather than costing a descriptor per level.
constexpr size_t kMaxDepth = 256;

std::deque<std::string> Components(std::string_view path) {
  std::deque<std::string> out;
  for (std::string& c : Split(path, '/')) {
    if (!c.empty() && c != ".") out.push_back(std::move(c));
  }
  return out;
}

// "dir" and "name" of a path whose last component names an entry.
bool SplitLast(std::string_view path, std::string* dir, std::string* name) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  size_t slash = path.rfind('/');
  *dir = slash == std::string_view::npos ? "/" : std::string(path.substr(0, slash + 1));
  *name = std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
  return !name->empty() && *name != "." && *name != ".." && *name != "/";
}

std::optional<std::string> ReadLinkAt(int dirfd, const std::string& name) {
  char buffer[PATH_MAX];
  ssize_t n = ::readlinkat(dirfd, name.c_str(), buffer, sizeof buffer);
  if (n < 0 || static_cast<size_t>(n) >= sizeof buffer) return std::nullopt;
  return std::string(buffer, static_cast<size_t>(n));
}

#ifdef __linux__
// openat2 with RESOLVE_IN_ROOT; -1 with errno (ENOSYS on kernels before 5.6).
int OpenInRoot(int root, std::string_view path, uint64_t flags) {
  open_how how{};
  how.flags = flags | O_CLOEXEC;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  std::string p = path.empty() ? "." : std::string(path);
  long fd;
  do {
    fd = ::syscall(SYS_openat2, root, p.c_str(), &how, sizeof how);
  } while (fd < 0 && (errno == EINTR || errno == EAGAIN));
  return static_cast<int>(fd);
}
#endif

// The portable walk: RESOLVE_IN_ROOT's meaning with openat(2) O_NOFOLLOW.
UniqueFd WalkToDirectory(int root, std::string_view dir, int* err) {
  std::vector<UniqueFd> stack;  // below the root, deepest last
  auto top = [&] { return stack.empty() ? root : stack.back().get(); };
  std::deque<std::string> todo = Components(dir);
  int links = 0;
  while (!todo.empty()) {
    std::string c = std::move(todo.front());
    todo.pop_front();
    if (c == "..") {
      if (!stack.empty()) stack.pop_back();
      continue;
    }
    struct stat st {};
    if (::fstatat(top(), c.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      *err = errno;
      return UniqueFd();
    }
    if (S_ISLNK(st.st_mode)) {
      std::optional<std::string> target = ReadLinkAt(top(), c);
      if (!target) {
        *err = ENAMETOOLONG;
        return UniqueFd();
      }
      if (++links > kMaxLinks) {
        *err = ELOOP;
        return UniqueFd();
      }
      if (target->starts_with('/')) stack.clear();
      std::deque<std::string> more = Components(*target);
      todo.insert(todo.begin(), more.begin(), more.end());
      continue;
    }
    if (!S_ISDIR(st.st_mode)) {
      *err = ENOTDIR;
      return UniqueFd();
    }
    if (stack.size() >= kMaxDepth) {
      *err = ENAMETOOLONG;
      return UniqueFd();
    }
    // O_NOFOLLOW: swapped for a link since the fstatat, it fails (ELOOP).
    UniqueFd next(::openat(top(), c.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!next.valid()) {
      *err = errno;
      return UniqueFd();
    }
    stack.push_back(std::move(next));
  }
  UniqueFd out(::fcntl(top(), F_DUPFD_CLOEXEC, 0));
  if (!out.valid()) *err = errno;
  return out;
}

std::string TemporaryName(const std::string& name) {
  static const char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::random_device random;
  std::string suffix;
  for (int i = 0; i < 10; ++i) suffix += kDigits[random() % (sizeof kDigits - 1)];
  return "." + name + ".ljail-" + suffix;
}

}  // namespace

TreeFs::TreeFs(UniqueFd root, std::string shown, Resolver resolver)
    : root_(std::move(root)), shown_(std::move(shown)), resolver_(resolver) {}

TreeFs TreeFs::Open(const std::string& real_root, std::string shown_root) {
#ifdef __linux__
  Resolver resolver = Resolver::kKernel;
#else
  Resolver resolver = Resolver::kWalk;
#endif
  TreeFs tree = Open(real_root, std::move(shown_root), resolver);
#ifdef __linux__
  int err = 0;
  // ENOSYS before 5.6; EPERM where a container's seccomp filter refuses it.
  if (!tree.OpenDirectoryAt("/", &err).valid() && (err == ENOSYS || err == EPERM))
    tree.resolver_ = Resolver::kWalk;
#endif
  return tree;
}

TreeFs TreeFs::Open(const std::string& real_root, std::string shown_root, Resolver resolver) {
  UniqueFd root(::open(real_root.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!root.valid()) ThrowSystem("open the tree", shown_root, errno);
  return TreeFs(std::move(root), std::move(shown_root), resolver);
}

std::string TreeFs::Shown(std::string_view path) const {
  std::string out = shown_;
  if (!path.starts_with('/')) out += '/';
  return out + std::string(path);
}

UniqueFd TreeFs::OpenDirectoryAt(std::string_view dir, int* err) const {
#ifdef __linux__
  if (resolver_ == Resolver::kKernel) {
    UniqueFd fd(OpenInRoot(root_.get(), dir, O_RDONLY | O_DIRECTORY));
    if (!fd.valid()) *err = errno;
    return fd;
  }
#endif
  return WalkToDirectory(root_.get(), dir, err);
}

std::optional<TreeFs::Entry> TreeFs::Locate(std::string_view path, bool follow, struct stat* st,
                                            int* err) const {
  std::string current(path);
  for (int links = 0;; ++links) {
    Entry e;
    std::string dir;
    if (!SplitLast(current, &dir, &e.name)) {
      *err = EINVAL;
      return std::nullopt;
    }
    e.parent = OpenDirectoryAt(dir, err);
    if (!e.parent.valid()) return std::nullopt;
    if (::fstatat(e.parent.get(), e.name.c_str(), st, AT_SYMLINK_NOFOLLOW) != 0) {
      *err = errno;
      return e;  // the place, with nothing there (*err says why)
    }
    *err = 0;
    if (!follow || !S_ISLNK(st->st_mode)) return e;
    if (links >= kMaxLinks) {
      *err = ELOOP;
      return std::nullopt;
    }
    std::optional<std::string> target = ReadLinkAt(e.parent.get(), e.name);
    if (!target) {
      *err = ENAMETOOLONG;
      return std::nullopt;
    }
    current = target->starts_with('/') ? *target : dir + *target;
  }
}

std::optional<std::string> TreeFs::ReadFile(std::string_view path, size_t limit) const {
  struct stat st {};
  int err = 0;
  std::optional<Entry> e = Locate(path, true, &st, &err);
  if (err == ENOENT || err == ENOTDIR) return std::nullopt;
  if (!e || err != 0) ThrowSystem("open", Shown(path), err);
  // Checked before the open too, so that no device is ever opened.
  if (!S_ISREG(st.st_mode)) ThrowFailure(Printable(Shown(path)) + ": not a regular file");
  UniqueFd fd(::openat(e->parent.get(), e->name.c_str(),
                       O_RDONLY | O_NONBLOCK | O_NOCTTY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid()) ThrowSystem("open", Shown(path), errno);
  if (::fstat(fd.get(), &st) != 0) ThrowSystem("stat", Shown(path), errno);
  if (!S_ISREG(st.st_mode)) ThrowFailure(Printable(Shown(path)) + ": not a regular file");
  if (static_cast<uint64_t>(st.st_size) > limit)
    ThrowFailure(fmt::format("{}: larger than {} bytes", Printable(Shown(path)), limit));
  std::string content;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) ThrowSystem("read", Shown(path), errno);
    if (n == 0) break;
    content.append(buffer, static_cast<size_t>(n));
    if (content.size() > limit)
      ThrowFailure(fmt::format("{}: larger than {} bytes", Printable(Shown(path)), limit));
  }
  return content;
}

void TreeFs::WriteFile(std::string_view path, std::string_view content, mode_t mode) const {
  struct stat st {};
  int err = 0;
  std::optional<Entry> e = Locate(path, false, &st, &err);
  if (!e) ThrowSystem("write", Shown(path), err);
  if (err == 0 && S_ISREG(st.st_mode)) {
    mode = st.st_mode & 07777;
  } else if (err != 0 && err != ENOENT) {
    ThrowSystem("write", Shown(path), err);
  }
  std::string temp = TemporaryName(e->name);
  UniqueFd fd(::openat(e->parent.get(), temp.c_str(),
                       O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!fd.valid()) ThrowSystem("create a temporary file for", Shown(path), errno);
  try {
    while (!content.empty()) {
      ssize_t n = ::write(fd.get(), content.data(), content.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) ThrowSystem("write", Shown(path), errno);
      content.remove_prefix(static_cast<size_t>(n));
    }
    if (::fchmod(fd.get(), mode) != 0) ThrowSystem("chmod", Shown(path), errno);
    if (::fsync(fd.get()) != 0) ThrowSystem("fsync", Shown(path), errno);
    if (::renameat(e->parent.get(), temp.c_str(), e->parent.get(), e->name.c_str()) != 0)
      ThrowSystem("rename over", Shown(path), errno);
  } catch (...) {
    ::unlinkat(e->parent.get(), temp.c_str(), 0);
    throw;
  }
  ::fsync(e->parent.get());  // the rename itself durable (best effort)
}

void TreeFs::MakeDirectories(std::string_view path, mode_t mode) const {
  std::string prefix;
  UniqueFd last;
  for (const std::string& c : Components(path)) {
    prefix += "/" + c;
    int err = 0;
    last = OpenDirectoryAt(prefix, &err);
    if (last.valid()) continue;
    if (err != ENOENT) ThrowSystem("create directory", Shown(prefix), err);
    struct stat st {};
    std::optional<Entry> e = Locate(prefix, false, &st, &err);
    if (!e || err != ENOENT) ThrowSystem("create directory", Shown(prefix), err ? err : EEXIST);
    if (::mkdirat(e->parent.get(), e->name.c_str(), 0700) != 0 && errno != EEXIST)
      ThrowSystem("create directory", Shown(prefix), errno);
    last.Reset(::openat(e->parent.get(), e->name.c_str(),
                        O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!last.valid()) ThrowSystem("open directory", Shown(prefix), errno);
    if (::fchmod(last.get(), 0755) != 0) ThrowSystem("chmod", Shown(prefix), errno);
  }
  if (!last.valid()) return;  // the root itself
  if (::fchmod(last.get(), mode) != 0) ThrowSystem("chmod", Shown(path), errno);
}

void TreeFs::Symlink(std::string_view target, std::string_view path) const {
  struct stat st {};
  int err = 0;
  std::optional<Entry> e = Locate(path, false, &st, &err);
  if (!e) ThrowSystem("make the link", Shown(path), err);
  std::string temp = TemporaryName(e->name);
  if (::symlinkat(std::string(target).c_str(), e->parent.get(), temp.c_str()) != 0)
    ThrowSystem("make the link", Shown(path), errno);
  if (::renameat(e->parent.get(), temp.c_str(), e->parent.get(), e->name.c_str()) != 0) {
    int rename_err = errno;
    ::unlinkat(e->parent.get(), temp.c_str(), 0);
    ThrowSystem("rename over", Shown(path), rename_err);
  }
}

void TreeFs::Remove(std::string_view path) const {
  struct stat st {};
  int err = 0;
  std::optional<Entry> e = Locate(path, false, &st, &err);
  if (err == ENOENT || err == ENOTDIR) return;
  if (!e || err != 0) ThrowSystem("remove", Shown(path), err);
  if (::unlinkat(e->parent.get(), e->name.c_str(), 0) != 0 && errno != ENOENT)
    ThrowSystem("remove", Shown(path), errno);
}

std::optional<std::string> TreeFs::ReadLink(std::string_view path) const {
  struct stat st {};
  int err = 0;
  std::optional<Entry> e = Locate(path, false, &st, &err);
  if (!e || err != 0 || !S_ISLNK(st.st_mode)) return std::nullopt;
  return ReadLinkAt(e->parent.get(), e->name);
}

std::optional<struct stat> TreeFs::StatusOf(std::string_view path, bool follow) const {
  struct stat st {};
  int err = 0;
  if (Components(path).empty()) {  // the root
    if (::fstat(root_.get(), &st) != 0) return std::nullopt;
    return st;
  }
  if (!Locate(path, follow, &st, &err) || err != 0) return std::nullopt;
  return st;
}

bool TreeFs::IsDirectory(std::string_view path) const {
  std::optional<struct stat> st = Status(path);
  return st && S_ISDIR(st->st_mode);
}

std::optional<TreeFs::Obstacle> TreeFs::FirstObstacle(std::string_view path) const {
  std::string current;
  for (const std::string& part : Components(path)) {
    current += "/" + part;
    std::optional<struct stat> st = LinkStatus(current);
    if (!st) return Obstacle{current, true};
    if (S_ISLNK(st->st_mode)) return Obstacle{current, false};
  }
  return std::nullopt;
}

UniqueFd TreeFs::OpenDirectory(std::string_view path) const {
  int err = 0;
  UniqueFd fd = OpenDirectoryAt(path, &err);
  if (!fd.valid()) ThrowSystem("open directory", Shown(path), err);
  return fd;
}

}  // namespace ljail
