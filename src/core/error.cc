#include "core/error.h"

#include <fmt/format.h>

#include <cstring>

namespace ljail {

Error Error::WithContext(std::string_view context) const {
  return Error(code_, fmt::format("{}: {}", context, what()), sys_errno_);
}

void ThrowUsage(const std::string& message) { throw Error(ExitCode::kUsage, message); }

void ThrowFailure(const std::string& message) { throw Error(ExitCode::kFailed, message); }

void ThrowSystem(std::string_view action, std::string_view path, int err) {
  throw Error(ExitCode::kFailed, fmt::format("{} \"{}\": {}", action, path, ErrnoText(err)), err);
}

namespace {
// GNU strerror_r returns the text (maybe not in the buffer); the XSI one used
// on FreeBSD returns 0 and fills the buffer. Overloads pick the right reading.
[[maybe_unused]] std::string StrerrorResult(const char* text, const char* /*buffer*/) {
  return text;
}
[[maybe_unused]] std::string StrerrorResult(int rc, const char* buffer) {
  return rc == 0 ? std::string(buffer) : std::string("Unknown error");
}
}  // namespace

std::string ErrnoText(int err) {
  char buffer[256] = {};
  return StrerrorResult(::strerror_r(err, buffer, sizeof buffer), buffer);
}

}  // namespace ljail
