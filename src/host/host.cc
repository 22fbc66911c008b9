#include "host/host.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <ostream>

#include "core/error.h"
#include "core/file_io.h"

namespace ljail::host {

HostOs DetectHostOs() {
  if (const char* forced = std::getenv("LJAIL_HOST_OS")) {
    std::string_view os(forced);
    if (os == "freebsd") return HostOs::kFreeBSD;
    if (os == "linux") return HostOs::kLinux;
    ThrowUsage(fmt::format("LJAIL_HOST_OS=\"{}\": expected freebsd or linux", os));
  }
  struct utsname u {};
  ::uname(&u);
  return std::string_view(u.sysname) == "FreeBSD" ? HostOs::kFreeBSD : HostOs::kLinux;
}

Host::Host(RootFs root, HostOs os) : root_(std::move(root)), os_(os) {}

const HostPaths& Host::paths() const {
  static constexpr HostPaths kFreeBSD{"/usr/local/jails", "/var/db/ljail", "/var/run/ljail/.locks"};
  static constexpr HostPaths kLinux{"/var/lib/ljail/jails", "/var/lib/ljail", "/run/ljail/.locks"};
  return os_ == HostOs::kFreeBSD ? kFreeBSD : kLinux;
}

ProcessResult Host::Run(const Command& command) const {
  if (trace_) *trace_ << "+ " << ShellQuote(command.argv) << "\n";
  return RunCaptured(command);
}

std::string DescribeFailure(const Command& command, const ProcessResult& result) {
  std::string err = result.err;
  while (!err.empty() && err.back() == '\n') err.pop_back();
  if (err.empty()) {
    err = result.out;
    while (!err.empty() && err.back() == '\n') err.pop_back();
  }
  std::string why = result.timed_out ? "timed out" : fmt::format("exit {}", result.exit_code);
  return err.empty() ? fmt::format("{}: {}", ShellQuote(command.argv), why)
                     : fmt::format("{}: {}: {}", ShellQuote(command.argv), why, err);
}

ProcessResult Host::Must(const Command& command) const {
  ProcessResult result = Run(command);
  if (!result.ok()) ThrowFailure(DescribeFailure(command, result));
  return result;
}

int Host::Interactive(const Command& command, std::initializer_list<int> accepted) const {
  if (trace_) *trace_ << "+ " << ShellQuote(command.argv) << "\n";
  int code = RunInteractive(command);
  if (accepted.size() == 0) return code;
  for (int ok : accepted) {
    if (code == ok) return code;
  }
  ThrowFailure(fmt::format("{}: exit {}", ShellQuote(command.argv), code));
}

std::optional<std::string> Host::ReadFile(const std::string& path) const {
  return ReadFileIfExists(Real(path));
}

void Host::WriteFile(const std::string& path, const std::string& content, mode_t mode) const {
  WriteFileAtomically(Real(path), content, mode);
}

void Host::MakeDirectories(const std::string& path, mode_t mode) const {
  std::error_code error;
  std::filesystem::create_directories(Real(path), error);
  if (error) ThrowSystem("create directory", path, error.value());
  if (::chmod(Real(path).c_str(), mode) != 0) ThrowSystem("chmod", path, errno);
}

void Host::Symlink(const std::string& target, const std::string& path) const {
  std::string temp = Real(path) + ".ljail-new";
  (void)::unlink(temp.c_str());
  if (::symlink(target.c_str(), temp.c_str()) != 0) ThrowSystem("symlink", path, errno);
  if (::rename(temp.c_str(), Real(path).c_str()) != 0) {
    int err = errno;
    (void)::unlink(temp.c_str());
    ThrowSystem("rename", path, err);
  }
}

std::optional<std::string> Host::ReadLink(const std::string& path) const {
  char buffer[4096];
  ssize_t n = ::readlink(Real(path).c_str(), buffer, sizeof buffer - 1);
  if (n < 0) return std::nullopt;
  return std::string(buffer, static_cast<size_t>(n));
}

bool Host::Exists(const std::string& path) const {
  struct stat st {};
  return ::lstat(Real(path).c_str(), &st) == 0;
}

std::optional<TreeFs> Host::TreeIfExists(const std::string& tree) const {
  if (!IsDirectory(tree)) return std::nullopt;
  return Tree(tree);
}

bool Host::IsDirectory(const std::string& path) const {
  struct stat st {};
  return ::stat(Real(path).c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool Host::IsFile(const std::string& path) const {
  struct stat st {};
  return ::stat(Real(path).c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::vector<std::string> Host::ListDirectory(const std::string& path) const {
  std::vector<std::string> names;
  std::error_code error;
  for (auto it = std::filesystem::directory_iterator(Real(path), error);
       !error && it != std::filesystem::directory_iterator(); it.increment(error)) {
    names.push_back(it->path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> Host::FilesBelow(const std::string& path) const {
  std::string top = Real(path);
  std::vector<std::string> names;
  std::error_code error;
  for (auto it = std::filesystem::recursive_directory_iterator(top, error);
       !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
    std::error_code type_error;
    if (it->is_regular_file(type_error)) {
      names.push_back(it->path().lexically_relative(top).string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

void Host::RemoveFile(const std::string& path) const {
  if (::unlink(Real(path).c_str()) != 0 && errno != ENOENT) ThrowSystem("unlink", path, errno);
}

RemoveResult Host::RemoveTree(const std::string& path, bool keep_top) const {
  return ljail::RemoveTree(Real(path), keep_top);
}

size_t Host::ExtractArchive(const std::string& archive, const std::string& into,
                            const ExtractOptions& options) const {
  return ljail::ExtractArchive(archive, Real(into), options);
}

}  // namespace ljail::host
