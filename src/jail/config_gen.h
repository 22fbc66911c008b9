// The jail.conf(5) file ljail writes for a jail (/etc/jail.conf.d/NAME.conf):
// valid for jail(8) unchanged, every choice explained in a comment, ljail's
// own facts kept as $ljail_* variables (DESIGN.md, principle 1).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/jail_spec.h"
#include "jail/layout.h"
#include "jailconf/document.h"
#include "jailconf/writer.h"

namespace ljail::jail {

/// The variable of a jail whose create has not finished: the command that
/// finishes it.
inline constexpr const char* kPartialVariable = "ljail_partial";

struct JailConfInput;

/// The part of a jail's file that only its host's OS knows how to write,
/// provided by that OS's runtime (runtime/freebsd/jail_conf_lines.h,
/// runtime/linux/jail_conf_lines.h): the rest of the file is the same for
/// both.
class OsConfLines {
 public:
  virtual ~OsConfLines() = default;
  /// The header's words before the distribution: "a FreeBSD 14.3-RELEASE
  /// jail carrying", "a jail of".
  virtual std::string What() const = 0;
  /// ljail's own facts that only this OS has ($ljail_release), among the others.
  virtual void Facts(jailconf::BlockBuilder& /*b*/) const {}
  /// The Linux tree the header names.
  virtual std::string TreeShown(const JailLayout& layout) const = 0;
  /// After ljail's facts, path and host name: the network, how the jail
  /// lives and stops, and the OS's hooks.
  virtual void Block(const JailConfInput& in, jailconf::BlockBuilder& b) const = 0;
  /// The devfs mount line's options, and the comment that says why.
  virtual std::string DevfsOptions() const { return "rw"; }
  virtual void DevfsComment(jailconf::BlockBuilder& /*b*/) const {}
};

/// What an OS adds to an existing jail's file when ljail starts keeping a
/// fact there that the OS acts on at every start. On FreeBSD jail(8) runs
/// rctl(8) and the Linux services from exec.* lines of the file; the Linux
/// runtime reads the variables itself and adds nothing.
class OsConfEdits {
 public:
  virtual ~OsConfEdits() = default;
  /// Whether jails here have addresses of their own for `ljail set` to
  /// change (ip4.addr, ip6, interface): not on a Linux host, where a jail
  /// shares the host's or has a network of its own (vnet).
  virtual bool JailsHaveAddresses() const = 0;
  /// After $ljail_rctl was set in `jail`'s block.
  virtual void KeepLimits(jailconf::ConfigDocument& doc, const std::string& jail) const = 0;
  /// After $ljail_services was set; `linux_dir` is the tree's place in the
  /// jail ("/compat/debian").
  virtual void KeepServices(jailconf::ConfigDocument& doc, const std::string& jail,
                            const std::string& linux_dir) const = 0;
};

struct JailConfInput {
  JailSpec spec;
  JailLayout layout;
  std::string template_name;  ///< the Linux template the tree was cloned from
  /// Linux hosts: the options of the overlay that makes the jail's tree
  /// ("lowerdir=...,upperdir=...,workdir=..."); "" when the tree is a copy.
  std::string overlay;
  std::vector<std::string> services;  ///< $ljail_services
  std::string partial;                ///< $ljail_partial: the create that finishes the jail
  std::shared_ptr<const OsConfLines> os_lines;  ///< never null
};

/// The whole file.
std::string GenerateJailConf(const JailConfInput& input);

/// A vnet link's facts as $ljail_bridge, $ljail_vnet_ip4 and
/// $ljail_vnet_gateway (nothing without an address), for both OSes' lines.
void VnetVariables(const JailSpec& spec, jailconf::BlockBuilder& b);

/// An fstab(5) field: spaces and tabs escaped as jail(8)'s strunvis expects
/// (docs/freebsd.md §3.1), with the backslash itself escaped for jail.conf.
std::string FstabField(const std::string& path);

}  // namespace ljail::jail
