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

#include "core/finding.h"
#include "core/mount_table.h"
#include "host/host.h"
#include "host/plan.h"
#include "host/settings.h"
#include "jail/create_common.h"
#include "jail/discovery.h"
#include "jail/jail_control.h"
#include "rootfs/release_template.h"
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

/// What the network diagnosis needs to know of the host's Linux layer.
struct LinuxLayer {
  bool linuxulator = false;               ///< FreeBSD's Linux ABI (linux(4)), not a Linux kernel
  std::optional<bool> ignore_ip_recverr;  ///< compat.linux.ignore_ip_recverr, where it exists
};

class Runtime : public jail::JailControl {
 public:
  virtual Plan CreatePlan(const Settings& settings, const jail::CreateOptions& options) const = 0;
  /// The one destroy skeleton (jail/destroy_common.h) with the OS's stop
  /// and teardown. `force`: a running jail is stopped and destroyed (else
  /// refused); FreeBSD also unmounts with umount -f what its stop leaves.
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

  /// `ljail release fetch`'s plan. FreeBSD: download base.txz, check it
  /// against the MANIFEST, extract, freebsd-update, snapshot @base; an
  /// empty arch is the settings'. Linux: refused (exit 1), a FreeBSD
  /// userland needs a FreeBSD kernel.
  virtual Plan ReleaseFetchPlan(const Settings& settings, rootfs::ReleaseRequest request) const = 0;
  /// `ljail release list`. Linux: refused (exit 1), as above.
  virtual std::vector<rootfs::ReleaseTemplate> ReleaseTemplates(const Settings& settings) const = 0;

  /// `ljail doctor`'s host checks beyond SetupPlan's steps. FreeBSD: the
  /// Linux ABI's sysctls and the debootstrap port's suites; Linux: none.
  virtual std::vector<Finding> HostFindings() const = 0;
  /// `ljail doctor NAME`'s checks of a running jail's confinement. Linux:
  /// root's capabilities, the user namespace and the cgroup, read from a
  /// process in the jail; FreeBSD: none, the kernel confines a jail's root
  /// (prison_priv_check) and nothing of it is a setting of the jail's.
  virtual std::vector<Finding> ConfinementFindings(const jail::JailRecord& jail) const = 0;
  /// The mounts in force in the running jail, at host paths. FreeBSD: the
  /// host's mount table (mount -p) with FreeBSD's type names; Linux: the
  /// jail's /proc/mounts, types left empty (Linux names them otherwise).
  virtual std::vector<MountEntry> MountsSeen(const jail::JailRecord& jail) const = 0;
  virtual LinuxLayer LinuxLayerFacts() const = 0;
};

std::unique_ptr<Runtime> MakeRuntime(const Host& host);
/// MakeRuntime as a jail::ControlFor, for the steps of a plan.
std::unique_ptr<jail::JailControl> MakeJailControl(const Host& host);

}  // namespace ljail::host
