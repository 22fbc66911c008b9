#include "host/lock.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ostream>
#include <thread>

#include "core/error.h"
#include "core/strings.h"

namespace ljail::host {
namespace {

std::string Holder(int fd) {
  char buffer[1024];
  ssize_t n = ::pread(fd, buffer, sizeof buffer - 1, 0);
  std::string text = n > 0 ? Trim(std::string(buffer, static_cast<size_t>(n))) : "";
  return text.empty() ? "another ljail command" : Printable(text);
}

}  // namespace

std::string LockDir(const Host& host) { return host.paths().lock_dir; }

HostLock HostLock::Take(const Host& host, const std::string& key, const std::string& command,
                        std::chrono::milliseconds patience, std::ostream* waiting) {
  std::string dir = LockDir(host);
  host.MakeDirectories(dir, 0700);
  std::string path = dir + "/" + key;
  std::string real = host.Real(path);
  auto deadline = std::chrono::steady_clock::now() + patience;
  bool said = false;
  UniqueFd fd;
  for (;;) {
    if (!fd.valid()) {
      fd.Reset(::open(real.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
      if (!fd.valid()) ThrowSystem("open the lock", path, errno);
    }
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) == 0) {
      // Locked; but a holder that removed the file meanwhile leaves this
      // one locked by nobody else: open the path again.
      struct stat held {
      }, now{};
      if (::fstat(fd.get(), &held) == 0 && ::stat(real.c_str(), &now) == 0 &&
          held.st_dev == now.st_dev && held.st_ino == now.st_ino)
        break;
      fd.Reset();
      continue;
    }
    if (errno == EINTR) continue;
    if (errno != EWOULDBLOCK) ThrowSystem("lock", path, errno);
    if (std::chrono::steady_clock::now() >= deadline) {
      ThrowFailure(
          fmt::format("{} is busy: {} holds it (lock {}); nothing was changed: run the "
                      "command again when that one is done",
                      key, Holder(fd.get()), path));
    }
    if (waiting && !said) {
      *waiting << "waiting for " << Holder(fd.get()) << " (" << key << ")\n" << std::flush;
      said = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::string me = fmt::format("pid {}: {}\n", ::getpid(), command);
  if (::ftruncate(fd.get(), 0) != 0 || ::pwrite(fd.get(), me.data(), me.size(), 0) < 0)
    ThrowSystem("write the lock", path, errno);
  return HostLock(std::move(fd), real);
}

HostLock::~HostLock() { Release(); }

HostLock& HostLock::operator=(HostLock&& other) noexcept {
  if (this != &other) {
    Release();
    fd_ = std::move(other.fd_);
    path_ = std::move(other.path_);
  }
  return *this;
}

void HostLock::Release() {
  if (fd_.valid()) (void)::ftruncate(fd_.get(), 0);
  fd_.Reset();
}

void HostLock::RemoveFile() const {
  if (::unlink(path_.c_str()) != 0 && errno != ENOENT) ThrowSystem("remove the lock", path_, errno);
}

}  // namespace ljail::host
