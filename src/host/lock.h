// Who may change what, one command at a time (issue 13): a lock per jail,
// and one for what jails share on a host (templates, releases, bridges,
// epair numbers, devfs rules). flock(2) on a file under /run/ljail/.locks
// (/var/run on FreeBSD): the kernel drops it when its holder dies, so a
// killed command never leaves a stale lock, and the file says who holds it.
#pragma once

#include <chrono>
#include <string>

#include "core/unique_fd.h"
#include "host/host.h"

namespace ljail::host {

class HostLock {
 public:
  /// The lock named `key` ("jail-web", "host"), for `command` (shown to
  /// whoever waits). Waits at most `patience`, saying once on `waiting`
  /// (when set) whom it waits for; then fails (exit 1, nothing changed)
  /// naming the holder's pid and command.
  static HostLock Take(const Host& host, const std::string& key, const std::string& command,
                       std::chrono::milliseconds patience, std::ostream* waiting = nullptr);

  /// Removes the lock's file while holding it (a destroyed jail's): whoever
  /// waited on it finds it gone and takes a new one (Take checks that the
  /// file it locked is still the one at the path).
  void RemoveFile() const;

  HostLock(HostLock&&) = default;
  HostLock& operator=(HostLock&& other) noexcept;
  /// Empties the file before the kernel drops the lock: a lock nobody holds
  /// names nobody, and a host's state does not change with its last pid.
  ~HostLock();

 private:
  void Release();
  HostLock(UniqueFd fd, std::string path) : fd_(std::move(fd)), path_(std::move(path)) {}
  UniqueFd fd_;
  std::string path_;  ///< the path to open
};

/// The directory of the lock files.
std::string LockDir(const Host& host);

}  // namespace ljail::host
