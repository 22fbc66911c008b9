// The jail runtime of the host ljail runs on: FreeBSD's jail(8) and rc.d,
// or ljail's own namespace runtime on Linux. The verbs see one interface;
// the request, templates, config files and plans are the same on both.
#pragma once

#include <sys/types.h>

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "core/settings.h"
#include "host/host.h"
#include "host/plan.h"
#include "jail/create_common.h"
#include "jail/discovery.h"

namespace ljail::host {

struct JailState {
  jail::JailRecord record;
  bool running = false;
  long id = 0;  ///< FreeBSD: the JID; Linux: the keeper's PID
  bool storage_present = false;
  std::string origin;  ///< the snapshot the jail was cloned from (ZFS)
};

class Runtime {
 public:
  virtual ~Runtime() = default;
  /// What JailState::id is: "jid" or "keeper_pid".
  virtual std::string IdName() const = 0;
  virtual Plan CreatePlan(const Settings& settings, const jail::CreateOptions& options) const = 0;
  virtual Plan DestroyPlan(const Settings& settings, const jail::JailRecord& jail,
                           bool force) const = 0;
  /// --dry-run of start: what would be done, as lines.
  virtual std::vector<std::string> DescribeStart(const jail::JailRecord& jail) const = 0;
  virtual void Start(const jail::JailRecord& jail, std::ostream& out) const = 0;
  virtual void Stop(const jail::JailRecord& jail, std::ostream& out) const = 0;
  /// Runs argv (the user's login shell when empty) as `user` in the jail's
  /// Linux tree, or on its FreeBSD side; returns the exit status.
  virtual int Enter(const jail::JailRecord& jail, const std::string& user,
                    const std::vector<std::string>& argv, bool freebsd_side) const = 0;
  virtual std::vector<JailState> List(const Settings& settings) const = 0;
  virtual bool IsRunning(const jail::JailRecord& jail) const = 0;
  /// Usage error (exit 2) when this host cannot enforce `limits` (FreeBSD:
  /// no resource accounting; Linux: no cgroup controller for one of them).
  virtual void CheckLimits(const ResourceLimits& limits) const = 0;
  /// Puts the jail's recorded limits ($ljail_rctl) into force while it runs.
  virtual void ApplyLimits(const jail::JailRecord& jail) const = 0;
  /// Runs argv in the running jail's Linux tree as `user` (of the tree;
  /// "" = root), with `input` on stdin and the output captured: how ljail
  /// changes a tree with the tree's own programs, mounts (a shared /home)
  /// in place, and how `doctor` probes it.
  virtual ProcessResult RunInTree(const jail::JailRecord& jail,
                                  const std::vector<std::string>& argv,
                                  const std::string& input = "",
                                  const std::string& user = "") const = 0;
  /// The running jail's Linux tree as its processes see it (its mounts, a
  /// shared /home, in place), for reading files with the tree API: no
  /// program of the tree runs, so a FIFO, a device or an endless file that
  /// jail root put there can neither stall nor flood ljail.
  virtual TreeFs RunningTree(const jail::JailRecord& jail) const = 0;
  /// The file at `path` of RunningTree (empty when missing), at most `limit`
  /// bytes; anything but a regular file is an error naming it.
  std::string ReadRunningTreeFile(const jail::JailRecord& jail, const std::string& path,
                                  size_t limit) const;
  /// RunInTree that must exit 0; otherwise throws with `what` and stderr.
  ProcessResult MustInTree(const jail::JailRecord& jail, const std::vector<std::string>& argv,
                           const std::string& what, const std::string& input = "") const;
};

std::unique_ptr<Runtime> MakeRuntime(const Host& host);

}  // namespace ljail::host
