// The keeper: a Linux jail's PID 1 (DESIGN.md, "The Linux path"). `start`
// forks it into the jail's cgroup and new mount, UTS, IPC, PID and cgroup
// namespaces (and a network namespace with vnet); it makes every mount
// private, performs the jail's translated mounts, sets the hostname, records
// itself under /run/ljail/NAME/, confines itself and becomes the small
// ljail-keeper program (src/keeper), which only reaps children until it is
// told to stop.
// So a jail persists with no process in it, like `persist`, and nothing it
// mounted is ever in the host's mount table.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

#include "host/host.h"
#include "runtime/linux/runtime_spec.h"

namespace ljail::host::linux_ns {

struct KeeperState {
  std::string name;
  pid_t pid = 0;                      ///< in the host's PID namespace
  unsigned long long start_time = 0;  ///< /proc/PID/stat field 22: tells a reused PID apart
  std::string config;
  std::string path;
  bool vnet = false;
  std::string started;       ///< UTC, ISO 8601
  bool raw_sockets = false;  ///< allow.raw_sockets: root keeps CAP_NET_RAW inside
  std::string cgroup;        ///< its cgroup below each hierarchy's root (JailCgroupPath)
};

/// The host path of a jail's runtime state: /run/ljail/NAME.
std::string RuntimeDir(const std::string& name);

/// The jail's keeper when it is alive (same PID, same start time, named
/// ljail-keeper); nullopt otherwise, also for a stale state file.
std::optional<KeeperState> RunningKeeper(const Host& host, const std::string& name);

/// Starts the keeper and returns once the jail is up, or throws what went
/// wrong inside (a missing mount point, a refused mount). False when the
/// jail was running already.
bool StartKeeper(const Host& host, const RuntimeSpec& spec);

/// SIGTERM to the keeper, which passes it to every process of the jail and
/// SIGKILLs them after the jail's stop.timeout; the keeper itself is killed
/// if it does not end 5 s after that. False when the jail was not running.
bool StopKeeper(const Host& host, const std::string& name, int stop_timeout);

}  // namespace ljail::host::linux_ns
