#include "core/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string_view>

#include "core/error.h"
#include "core/unique_fd.h"

namespace ljail {
namespace {

void WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      ThrowSystem("write", path, errno);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
}

std::string DirectoryOf(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

std::optional<std::string> ReadRegularFileIfExists(const std::string& path, size_t limit) {
  // O_NONBLOCK: opening a FIFO does not wait for a writer.
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
    ThrowSystem("open", path, errno);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) ThrowSystem("stat", path, errno);
  if (!S_ISREG(st.st_mode)) ThrowFailure(path + ": not a regular file");
  std::string content;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) ThrowSystem("read", path, errno);
    if (n == 0) break;
    content.append(buffer, static_cast<size_t>(n));
    if (content.size() > limit)
      ThrowFailure(path + ": larger than " + std::to_string(limit) + " bytes");
  }
  return content;
}

std::optional<std::string> ReadFileIfExists(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
    ThrowSystem("open", path, errno);
  }
  std::string content;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      ThrowSystem("read", path, errno);
    }
    if (n == 0) break;
    content.append(buffer, static_cast<size_t>(n));
  }
  return content;
}

std::string ReadFile(const std::string& path) {
  std::optional<std::string> content = ReadFileIfExists(path);
  if (!content) ThrowSystem("open", path, ENOENT);
  return *content;
}

void WriteFileAtomically(const std::string& path, const std::string& content, mode_t mode) {
  struct stat existing {};
  if (::stat(path.c_str(), &existing) == 0) {
    mode = existing.st_mode & 07777;
  } else if (errno != ENOENT) {
    ThrowSystem("stat", path, errno);
  }

  std::string directory = DirectoryOf(path);
  std::string temp = path + ".ljail-tmp.XXXXXX";
  UniqueFd fd(::mkostemp(temp.data(), O_CLOEXEC));
  if (fd.get() < 0) ThrowSystem("create temporary file in", directory, errno);
  try {
    WriteAll(fd.get(), content, temp);
    if (::fchmod(fd.get(), mode) != 0) ThrowSystem("chmod", temp, errno);
    if (::fsync(fd.get()) != 0) ThrowSystem("fsync", temp, errno);
    if (::close(fd.Release()) != 0) ThrowSystem("close", temp, errno);
    if (::rename(temp.c_str(), path.c_str()) != 0) ThrowSystem("rename to", path, errno);
  } catch (...) {
    ::unlink(temp.c_str());
    throw;
  }
  // Make the rename itself durable.
  UniqueFd dir(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() >= 0) ::fsync(dir.get());
}

}  // namespace ljail
