// The jail runtime of the host ljail runs on: FreeBSD's jail(8) and rc.d,
// or ljail's own namespace runtime on Linux. The verbs see one interface;
// the request, templates, config files and plans are the same on both.
// The part a tree's change needs (start, stop, run in the tree) is
// jail::JailControl, one layer down, so that the guest code below the
// runtimes never includes them.
#pragma once

#include <sys/types.h>

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "host/host.h"
#include "host/plan.h"
#include "host/settings.h"
#include "jail/create_common.h"
#include "jail/discovery.h"
#include "jail/jail_control.h"
#include "rootfs/template_host.h"

namespace ljail::host {

struct JailState {
  jail::JailRecord record;
  bool running = false;
  /// The number that names the running jail, shown as its JID on both
  /// hosts: FreeBSD's JID (jls(8)); on Linux the keeper's host PID (what
  /// nsenter -t and /proc/JID/root take).
  long id = 0;
  bool storage_present = false;
  std::string origin;  ///< the snapshot the jail was cloned from (ZFS)
};

/// `ljail host init`'s choices for a host without a settings file yet.
struct HostSetupOptions {
  std::optional<std::string> zfs_root;  ///< a dataset, or "none" for directories
  std::optional<std::string> jails_dir;
  std::optional<std::string> release;
};

/// The host's plan (`host check` reports it, `host init` applies it) and
/// what it was made from.
struct HostSetup {
  Plan plan;
  std::string os;                      ///< "freebsd", "linux"
  std::string release;                 ///< FreeBSD: the host's (kern.osrelease); else empty
  std::string arch;                    ///< FreeBSD: hw.machine_arch; else empty
  std::vector<std::string> zfs_pools;  ///< FreeBSD: the imported pools
  bool settings_found = false;
  Settings settings;  ///< as read, or as `host init` will write them
};

class Runtime : public jail::JailControl {
 public:
  virtual Plan CreatePlan(const Settings& settings, const jail::CreateOptions& options) const = 0;
  virtual Plan DestroyPlan(const Settings& settings, const jail::JailRecord& jail,
                           bool force) const = 0;
  /// --dry-run of start: what would be done, as lines.
  virtual std::vector<std::string> DescribeStart(const jail::JailRecord& jail) const = 0;
  virtual std::vector<JailState> List(const Settings& settings) const = 0;
  /// Usage error (exit 2) when this host cannot enforce `limits` (FreeBSD:
  /// no resource accounting; Linux: no cgroup controller for one of them).
  virtual void CheckLimits(const ResourceLimits& limits) const = 0;
  /// Puts the jail's recorded limits ($ljail_rctl) into force while it runs.
  virtual void ApplyLimits(const jail::JailRecord& jail) const = 0;
  /// What this OS decides about building a template (tools, keyrings,
  /// architecture, the Linux ABI on FreeBSD).
  virtual rootfs::TemplateHost TemplatePolicy() const = 0;
  /// FreeBSD: the Linux ABI, jails at boot, settings and storage (seed
  /// steps 1-2); Linux: what the namespace runtime needs, reported (the
  /// zfs_root, jails_dir and release options are refused: exit 2).
  virtual HostSetup SetupPlan(const HostSetupOptions& options) const = 0;
  /// What this OS adds to a jail's file when `set` or `service` starts
  /// keeping limits or services there.
  virtual const jail::OsConfEdits& ConfEdits() const = 0;
};

std::unique_ptr<Runtime> MakeRuntime(const Host& host);
/// MakeRuntime as a jail::ControlFor, for the steps of a plan.
std::unique_ptr<jail::JailControl> MakeJailControl(const Host& host);

}  // namespace ljail::host
