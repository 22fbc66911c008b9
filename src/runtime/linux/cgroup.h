// A Linux jail's cgroup: where its processes live and what rctl-style
// limits (core/resource_limits.h) hold them, as FreeBSD's rctl(8) holds a
// jail. The cgroup is /ljail/NAME in every hierarchy the host mounts (for
// an ljail managing another root, --root, /ljail-HASH/NAME), so the
// jail's processes leave the cgroup of whoever started it (a login session's
// scope, a service) as a FreeBSD jail is apart from the shell that ran
// jail(8). Both layouts are handled, found at run time from mountinfo:
// cgroup v2 alone (current distributions) and hybrid hosts whose controllers
// are v1 hierarchies beside a v2 (this project's CI machine).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "core/resource_limits.h"

namespace ljail::host::linux_ns {

struct CgroupHierarchy {
  std::string mount_point;  ///< "/sys/fs/cgroup/memory", "/sys/fs/cgroup"
  bool v2 = false;
  std::vector<std::string> controllers;  ///< v1: from the mount; v2: cgroup.controllers
};

/// The hierarchies mounted in this mount namespace, one per hierarchy.
std::vector<CgroupHierarchy> MountedCgroups();

/// Where jail `name` of the ljail whose host root is `root` ("" or "/"
/// for the real one: RootFs::prefix) has its
/// cgroup, relative to each hierarchy's root: "ljail/web". Jails of
/// different roots (tests, a second ljail root) never share one.
std::string JailCgroupPath(const std::string& root, const std::string& name);

class JailCgroup {
 public:
  JailCgroup(std::vector<CgroupHierarchy> hierarchies, std::string path);
  /// The cgroup at `path` (JailCgroupPath) in the hierarchies mounted here.
  static JailCgroup At(const std::string& path);

  /// Usage error (exit 2) when the host cannot enforce one of the limits
  /// (no memory, pids or cpu controller): refused, never dropped.
  void CheckLimits(const ResourceLimits& limits) const;
  /// Makes the jail's cgroup in every hierarchy (kept if it exists) and
  /// sets exactly `limits`: what is not limited goes back to unlimited.
  void Create(const ResourceLimits& limits) const;
  /// Sets exactly `limits` on an existing cgroup (a running jail).
  void Apply(const ResourceLimits& limits) const;
  /// Moves process `pid` into the jail's cgroup in every hierarchy.
  void Join(pid_t pid) const;
  /// The cgroup.procs files, opened now for a process that joins later,
  /// from where the host's cgroupfs is out of sight (JoinWith).
  std::vector<int> OpenProcsFiles() const;
  /// Removes the jail's (empty) cgroup; false when a hierarchy still holds
  /// processes of it after a short wait.
  bool Remove() const;
  /// The jail's cgroup directories, for messages and tests.
  std::vector<std::string> Directories() const;

 private:
  const CgroupHierarchy* Holding(const std::string& controller) const;
  std::string Dir(const CgroupHierarchy& h) const;
  std::string Parent(const CgroupHierarchy& h) const;

  std::vector<CgroupHierarchy> hierarchies_;
  std::string path_;
};

/// Moves the calling process into the cgroups whose cgroup.procs `files`
/// are (writing 0 names the writer) and closes them.
void JoinWith(const std::vector<int>& files);

}  // namespace ljail::host::linux_ns
