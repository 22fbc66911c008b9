// The jail.conf(5) file ljail writes for a jail (/etc/jail.conf.d/NAME.conf):
// valid for jail(8) unchanged, every choice explained in a comment, ljail's
// own facts kept as $ljail_* variables (DESIGN.md, principle 1).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/jail_spec.h"
#include "host/host.h"
#include "jail/layout.h"

namespace ljail::jail {

/// The variable of a jail whose create has not finished: the command that
/// finishes it.
inline constexpr const char* kPartialVariable = "ljail_partial";

struct JailConfInput {
  JailSpec spec;
  JailLayout layout;
  std::string template_name;  ///< the Linux template the tree was cloned from
  std::string release;        ///< FreeBSD release of the jail's base (FreeBSD hosts)
  int devfs_ruleset = 0;      ///< the ruleset of the Linux /dev (FreeBSD hosts)
  host::HostOs os = host::HostOs::kFreeBSD;
  /// Linux hosts: the options of the overlay that makes the jail's tree
  /// ("lowerdir=...,upperdir=...,workdir=..."); "" when the tree is a copy.
  std::string overlay;
  std::vector<std::string> services;  ///< $ljail_services
  std::string epair;                  ///< FreeBSD vnet with an address: "epair100"
  std::string partial;                ///< $ljail_partial: the create that finishes the jail
  uint32_t userns_base = 0;           ///< Linux hosts: $ljail_userns; 0 = no user namespace
};

/// The whole file.
std::string GenerateJailConf(const JailConfInput& input);

/// An fstab(5) field: spaces and tabs escaped as jail(8)'s strunvis expects
/// (freebsd-facts.md §3.1), with the backslash itself escaped for jail.conf.
std::string FstabField(const std::string& path);

}  // namespace ljail::jail
