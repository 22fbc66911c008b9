// What the verbs that change a jail's Linux tree (user, pkg, service)
// share: the jail they work on, locked while they change it, and how a
// tree change's plan is printed (--dry-run) or run.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/context.h"
#include "host/interrupt.h"
#include "host/lock.h"
#include "jail/discovery.h"
#include "jail/tree_changes.h"
#include "runtime/runtime.h"

namespace ljail::cli {

struct Target {
  host::Host host;
  std::optional<host::HostLock> lock;  ///< the jail's, while the verb changes it
  /// While the verb changes the jail, Ctrl-C stops the command in it (a
  /// jail started for the change is stopped again) and ends with exit 130.
  std::unique_ptr<host::InterruptScope> interrupts;
  jail::JailRecord jail;
  std::unique_ptr<host::Runtime> runtime;

  jail::InTree At() const { return {runtime.get(), &jail}; }
};

/// The jail a verb works on, locked first when the verb changes it. Bad
/// input is refused before the lock is waited for.
Target OpenTarget(Context& c, const std::string& name, bool changes = true);

/// --dry-run prints the change's plan; otherwise it runs. Returns 0.
int ApplyTreeChange(Context& c, const Target& t, const jail::TreeChange& change);

}  // namespace ljail::cli
