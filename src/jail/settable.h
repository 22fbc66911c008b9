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
  bool creation_only;       ///< a running jail is restarted (RDTUN)
  bool freebsd_only;        ///< the Linux runtime has no such thing
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

}  // namespace ljail::jail
