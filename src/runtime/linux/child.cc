#include "runtime/linux/child.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <exception>

#include "core/error.h"
#include "core/strings.h"

namespace ljail::host::linux_ns {
namespace {

void WriteAll(int fd, const std::string& bytes) {
  for (size_t done = 0; done < bytes.size();) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the reader is gone: nobody to tell
    done += static_cast<size_t>(n);
  }
}

}  // namespace

void ReportError(int fd, const std::exception& error) {
  if (const auto* e = dynamic_cast<const Error*>(&error)) {
    WriteAll(fd, fmt::format("E{}:{}:{}", static_cast<int>(e->code()), e->sys_errno(), e->what()));
  } else {
    WriteAll(fd, fmt::format("E1:0:{}", error.what()));
  }
}

bool ReportOutcome(int fd, const std::function<void()>& fn) {
  try {
    fn();
    WriteAll(fd, "ok");
    return true;
  } catch (const std::exception& e) {
    ReportError(fd, e);
  }
  return false;
}

void ReadOutcome(int fd, const std::string& who, bool silence_is_success) {
  std::string text;
  char buffer[4096];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buffer, static_cast<size_t>(n));
  }
  if (text == "ok" || (text.empty() && silence_is_success)) return;
  size_t colon = text.find(':', 3);
  if (text.size() >= 4 && text[0] == 'E' && colon != std::string::npos) {
    int err = LeadingInt(std::string_view(text).substr(3, colon - 3)).value_or(0);
    throw Error(text[1] == '2' ? ExitCode::kUsage : ExitCode::kFailed, text.substr(colon + 1), err);
  }
  ThrowFailure(fmt::format("{} ended without saying whether it succeeded", who));
}

void RunInChild(const std::function<void()>& fn, const std::string& who) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) ThrowSystem("pipe", who, errno);
  pid_t pid = ::fork();
  if (pid < 0) {
    int err = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    ThrowSystem("fork", who, err);
  }
  if (pid == 0) {
    ::close(fds[0]);
    bool ok = ReportOutcome(fds[1], fn);
    ::_exit(ok ? 0 : 1);
  }
  ::close(fds[1]);
  try {
    ReadOutcome(fds[0], who);
  } catch (...) {
    ::close(fds[0]);
    ::waitpid(pid, nullptr, 0);
    throw;
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

}  // namespace ljail::host::linux_ns
