#include "runtime/linux/user_namespace.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <set>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/strings.h"
#include "jail/discovery.h"
#include "runtime/linux/syscalls.h"

namespace ljail::host::linux_ns {
namespace {

struct IdRange {
  uint64_t first, end;  // [first, end)
};

// The ranges of /etc/subuid and /etc/subgid ("NAME:FIRST:COUNT", subuid(5)):
// rootless containers of the host's users live there.
std::vector<IdRange> SubordinateRanges(const Host& host) {
  std::vector<IdRange> out;
  for (const char* file : {"/etc/subuid", "/etc/subgid"}) {
    for (const std::string& line : Split(host.ReadFile(file).value_or(""), '\n')) {
      std::vector<std::string> f = Split(line, ':');
      uint64_t first = 0, count = 0;
      if (f.size() != 3 ||
          std::from_chars(f[1].data(), f[1].data() + f[1].size(), first).ec != std::errc() ||
          std::from_chars(f[2].data(), f[2].data() + f[2].size(), count).ec != std::errc())
        continue;
      out.push_back({first, first + count});
    }
  }
  return out;
}

// The helper's side: unshare, say so, wait for the maps, unshare the
// network if asked, say so, wait for the end. Each report is an errno.
[[noreturn]] void HelperMain(int to_helper, int from_helper, bool with_network) {
  auto step = [&](int flags) {
    int err = 0;
    try {
      Unshare(flags, "");
    } catch (const Error& e) {
      err = e.sys_errno() ? e.sys_errno() : EPERM;
    }
    if (::write(from_helper, &err, sizeof err) != sizeof err || err != 0) ::_exit(1);
  };
  char go = 0;
  step(CLONE_NEWUSER);
  if (::read(to_helper, &go, 1) != 1) ::_exit(1);
  if (with_network) step(CLONE_NEWNET);
  (void)::read(to_helper, &go, 1);  // returns when ljail closes its end
  ::_exit(0);
}

void ReadStep(int fd, const std::string& what) {
  int err = 0;
  if (::read(fd, &err, sizeof err) != sizeof err) err = ECHILD;
  if (err != 0) {
    throw Error(ExitCode::kFailed,
                fmt::format("unshare {}: {}{}", what, ErrnoText(err),
                            err == ENOSPC ? " (hint: user.max_user_namespaces is reached)" : ""),
                err);
  }
}

}  // namespace

uint32_t ParseUsernsBase(const std::string& text, const std::string& where) {
  uint32_t base = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), base);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || base < kUsernsSize ||
      base > 0xFFFFFFFEU - (kUsernsSize - 1)) {
    ThrowUsage(fmt::format(
        "{}: ${} = \"{}\": expected the host id of root inside, from {} to {} (a range of {} "
        "ids that leaves the host's own ids alone)",
        where, kUsernsVariable, text, kUsernsSize, 0xFFFFFFFEU - (kUsernsSize - 1), kUsernsSize));
  }
  return base;
}

uint32_t ChooseUsernsBase(const Host& host, const std::string& name) {
  std::set<uint32_t> taken;
  for (const jail::JailRecord& r : jail::DiscoverJails(host)) {
    if (r.userns.empty()) continue;
    uint32_t base = ParseUsernsBase(r.userns, r.config_file);
    if (r.name == name) return base;
    taken.insert(base);
  }
  std::vector<IdRange> subordinate = SubordinateRanges(host);
  for (uint64_t base = kUsernsFirstBase; base <= kUsernsLastBase; base += kUsernsSize) {
    bool clash = taken.count(static_cast<uint32_t>(base)) != 0;
    for (const IdRange& r : subordinate)
      clash = clash || (r.first < base + kUsernsSize && base < r.end);
    if (!clash) return static_cast<uint32_t>(base);
  }
  ThrowFailure(fmt::format("no free range of {} host ids for a user namespace from {} to {}",
                           kUsernsSize, kUsernsFirstBase, kUsernsLastBase + kUsernsSize - 1));
}

JailUserNamespace JailUserNamespace::Make(uint32_t base, bool with_network) {
  int to_helper[2], from_helper[2];
  if (::pipe2(to_helper, O_CLOEXEC) != 0) ThrowSystem("pipe", "the user namespace", errno);
  if (::pipe2(from_helper, O_CLOEXEC) != 0) {
    int err = errno;
    ::close(to_helper[0]);
    ::close(to_helper[1]);
    ThrowSystem("pipe", "the user namespace", err);
  }
  pid_t helper = ::fork();
  if (helper == 0) {
    ::close(to_helper[1]);
    ::close(from_helper[0]);
    HelperMain(to_helper[0], from_helper[1], with_network);
  }
  int fork_errno = errno;
  ::close(to_helper[0]);
  ::close(from_helper[1]);
  int user = -1, net = -1;
  auto finish = [&] {
    ::close(to_helper[1]);  // the helper's last read returns: it exits
    ::close(from_helper[0]);
    if (helper > 0) ::waitpid(helper, nullptr, 0);
  };
  try {
    if (helper < 0) ThrowSystem("fork", "the user namespace's helper", fork_errno);
    ReadStep(from_helper[0], "a user namespace for the jail (CLONE_NEWUSER)");
    WriteIdMaps(helper, base, kUsernsSize);
    if (::write(to_helper[1], "m", 1) != 1)
      ThrowSystem("write", "the user namespace's helper", errno);
    if (with_network) ReadStep(from_helper[0], "a network namespace of the jail's user namespace");
    user = OpenNamespace(helper, "user");
    if (with_network) net = OpenNamespace(helper, "net");
  } catch (...) {
    if (user >= 0) ::close(user);
    finish();
    throw;
  }
  finish();
  return {user, net};
}

JailUserNamespace::JailUserNamespace(JailUserNamespace&& other) noexcept
    : user_(std::exchange(other.user_, -1)), net_(std::exchange(other.net_, -1)) {}

JailUserNamespace::~JailUserNamespace() {
  if (user_ >= 0) ::close(user_);
  if (net_ >= 0) ::close(net_);
}

}  // namespace ljail::host::linux_ns
