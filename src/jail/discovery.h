// The Linux jails of a host, found in its jail.conf files: the ones ljail
// made (they carry $ljail_* variables) and Handbook-style ones made by hand,
// recognized by their linprocfs/linsysfs mount lines, so an existing user is
// not locked out (issue 4, "adopt").
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/resource_limits.h"
#include "host/host.h"
#include "jail/config_gen.h"
#include "jailconf/jail.h"

namespace ljail::jail {

/// The one "not running" failure (exit 1): "web is not running: ljail start web".
[[noreturn]] void ThrowNotRunning(const std::string& jail_name);

struct JailRecord {
  std::string name;
  std::string config_file;
  bool managed = false;  ///< made by ljail ($ljail_distro is set)
  std::string path;
  std::string hostname;
  std::string interface;
  std::vector<std::string> ip4;  ///< as configured ("10.0.0.9/24")
  std::vector<std::string> ip6;
  std::string ip4_mode;      ///< ip4 parameter: inherit, disable, new or "" (addresses)
  std::string ip6_mode;      ///< ip6 parameter: inherit, disable, new or ""
  bool vnet = false;         ///< vnet (= new): a network stack of its own
  bool raw_sockets = false;  ///< allow.raw_sockets
  std::string distro;        ///< from $ljail_distro, else the tree's os-release
  std::string suite;
  std::string template_name;
  std::string release;
  std::string linux_dir;  ///< "/compat/debian"
  std::vector<std::string> mounts;
  std::vector<std::string> services;  ///< $ljail_services: Linux services started with the jail
  std::string dns;                    ///< $ljail_dns: copy, static:..., none (jail/tree_settings.h)
  std::string partial;    ///< $ljail_partial: the create that finishes it; "" when whole
  std::string epair;      ///< $ljail_epair: a FreeBSD vnet jail's epair ("epair100")
  ResourceLimits limits;  ///< $ljail_rctl: rctl-style limits
  std::string userns;     ///< $ljail_userns: host id of root inside (Linux hosts); "" = none
  std::vector<std::string> problems;  ///< why jail(8) would refuse it
  /// The jail's block as jail(8) evaluates it from the file that discovery
  /// read it from: the one `service jail start NAME` reads (/etc/jail.conf
  /// when it includes the jail's file, else /etc/jail.conf.d/NAME.conf).
  /// Parsed once, here: runtimes start the jail from it. Null when jail(8)
  /// would refuse the jail (`problems` say why).
  std::shared_ptr<const jailconf::EvaluatedJail> block;

  std::string LinuxTree() const { return path + linux_dir; }
  /// True when `tree_dir` of the Linux tree ("/home/admin") is, or is below,
  /// a host directory shared into the jail (a nullfs `mount` line there):
  /// its files' owners are host uids.
  bool SharesFromHost(const std::string& tree_dir) const;
};

/// Every Linux jail of /etc/jail.conf (with its includes) and of the files
/// of /etc/jail.conf.d that it does not include. Plain FreeBSD jails are
/// left out. Unreadable files give a record with problems, not an error.
std::vector<JailRecord> DiscoverJails(const host::Host& host);

/// The files of /etc/jail.conf.d, sorted, that are not in `included` (the
/// files /etc/jail.conf reads): rc.d/jail reads each for its own jail.
std::vector<std::string> UnincludedJailFiles(const host::Host& host,
                                             const std::set<std::string>& included);
std::optional<JailRecord> FindJail(const host::Host& host, const std::string& name);

}  // namespace ljail::jail
