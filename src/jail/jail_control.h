// What the code that changes a jail's Linux tree (accounts, packages, the
// locale, services) needs of the host's jail runtime: whether the jail
// runs, starting and stopping it for a change, running the tree's own
// programs in it and reading its files. The runtimes (runtime/runtime.h)
// implement it; nothing at this layer knows which OS it runs on.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "core/tree_fs.h"
#include "host/host.h"
#include "host/process.h"
#include "jail/discovery.h"

namespace ljail::jail {

class JailControl {
 public:
  virtual ~JailControl() = default;
  virtual bool IsRunning(const JailRecord& jail) const = 0;
  /// FreeBSD: `service jail start NAME` (jail(8) runs the file's exec.*
  /// lines); Linux: ljail's namespace runtime, then resolv.conf and the
  /// declared services.
  virtual void Start(const JailRecord& jail, std::ostream& out) const = 0;
  virtual void Stop(const JailRecord& jail, std::ostream& out) const = 0;
  /// Runs argv (the user's login shell when empty) as `user` in the jail's
  /// Linux tree, or on its FreeBSD side, on ljail's terminal; returns the
  /// exit status.
  virtual int Enter(const JailRecord& jail, const std::string& user,
                    const std::vector<std::string>& argv, bool freebsd_side) const = 0;
  /// Runs argv in the running jail's Linux tree as `user` (of the tree;
  /// "" = root), with `input` on stdin and the output captured: how ljail
  /// changes a tree with the tree's own programs, mounts (a shared /home)
  /// in place, and how `doctor` probes it. FreeBSD: jexec and chroot;
  /// Linux: setns into the keeper's namespaces.
  virtual host::ProcessResult RunInTree(const JailRecord& jail,
                                        const std::vector<std::string>& argv,
                                        const std::string& input = "",
                                        const std::string& user = "") const = 0;
  /// The running jail's Linux tree as its processes see it (its mounts, a
  /// shared /home, in place), for reading files with the tree API: no
  /// program of the tree runs, so a FIFO, a device or an endless file that
  /// jail root put there can neither stall nor flood ljail.
  virtual TreeFs RunningTree(const JailRecord& jail) const = 0;
  /// A stopped jail's Linux tree as its next start will show it, without
  /// the mounts made at start (its shares), read-only: what a plan of a
  /// change reads before the jail is started for it (`--dry-run` starts
  /// nothing). FreeBSD: the tree's directory; Linux: the copied tree, or
  /// a detached read-only overlay of the clone's layer over its template.
  virtual TreeFs RestingTree(const JailRecord& jail) const = 0;
  /// RunningTree when the jail runs, RestingTree when it does not.
  TreeFs CurrentTree(const JailRecord& jail) const;

  /// The file at `path` of RunningTree (empty when missing), at most `limit`
  /// bytes; anything but a regular file is an error naming it.
  std::string ReadRunningTreeFile(const JailRecord& jail, const std::string& path,
                                  size_t limit) const;
  /// What argv prints in the running tree as root, or "" when it fails:
  /// for reading a state only the jail's processes see. It is data from
  /// the tree, whatever it says.
  std::string OutputInTree(const JailRecord& jail, const std::vector<std::string>& argv) const;
  /// RunInTree that must exit 0; otherwise throws with `what` and stderr.
  host::ProcessResult MustInTree(const JailRecord& jail, const std::vector<std::string>& argv,
                                 const std::string& what, const std::string& input = "") const;
};

/// The runtime of the host a plan's step runs on. Steps that change a
/// tree (create's setup, its stop on an interrupt) are made before that
/// host is known to them; the runtime that makes them passes this in.
using ControlFor = std::unique_ptr<JailControl> (*)(const host::Host& host);

}  // namespace ljail::jail
