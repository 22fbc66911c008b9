#include "core/file_hash.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

#include "core/error.h"

namespace ljail {

std::string IdentityHash(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) ThrowSystem("open", path, errno);
  uint64_t h = 1469598103934665603ull;
  unsigned char buffer[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      ThrowSystem("read", path, err);
    }
    if (n == 0) break;
    for (ssize_t i = 0; i < n; ++i) {
      h ^= buffer[i];
      h *= 1099511628211ull;
    }
  }
  ::close(fd);
  return fmt::format("{:016x}", h);
}

}  // namespace ljail
