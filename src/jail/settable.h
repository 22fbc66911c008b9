// `ljail set NAME PARAM=VALUE...` (issue 7 §1): the parameters ljail lets a
// user change on an existing jail, as one table. Each change edits the
// jail's own file with the jail.conf editor (other lines kept); a change
// jail(8) can make only at creation restarts a running jail, after saying
// so (docs/freebsd.md §2.1).
#pragma once

#include <string>
#include <vector>

#include "host/host.h"
#include "jail/discovery.h"
#include "jailconf/document.h"

namespace ljail::jail {

struct SettableParam {
  std::string name;         ///< as typed: "ip6", "allow.raw_sockets"
  std::string values;       ///< for messages: "inherit|disable"
  std::string description;  ///< for --help and errors
};

const std::vector<SettableParam>& SettableParams();

struct Setting {
  const SettableParam* param = nullptr;
  std::string value;  ///< normalized
};

/// Parses and checks "PARAM=VALUE" for a jail of a host whose OS edits
/// jail files as `os` does. Usage error (exit 2) naming the settable
/// parameters, or the closest one, otherwise.
Setting ParseSetting(const std::string& text, const OsConfEdits& os);

/// Applies the setting to the jail's block of `doc`; a resource limit
/// also to `record.limits`, which $ljail_rctl then holds, with what the OS
/// adds for it (OsConfEdits::KeepLimits).
void ApplySetting(jailconf::ConfigDocument& doc, JailRecord& record, const Setting& s,
                  const OsConfEdits& os);

/// Whether a running jail must be restarted for the settings to take
/// effect: one of them is a jail parameter. ip4, ip6 are RDTUN and jail(8)
/// adds ip4.addr to interfaces only at creation; allow.raw_sockets could
/// change in place with `jail -m` on FreeBSD, but the Linux runtime fixes
/// it in the keeper's bounding set at start, and ljail does one thing on
/// both hosts. ljail's own variables (dns, limits) apply to a running jail.
bool NeedsRestart(const std::vector<Setting>& settings);

}  // namespace ljail::jail
