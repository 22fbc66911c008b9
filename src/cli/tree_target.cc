#include "cli/tree_target.h"

#include <ostream>

#include "cli/verbs.h"

namespace ljail::cli {

Target OpenTarget(Context& c, const std::string& name, bool changes) {
  host::Host host = c.MakeHost();
  jail::JailRecord record = RequireJail(host, name);  // bad input refused before the lock
  std::optional<host::HostLock> lock;
  if (changes) {
    lock = c.LockJail(host, name);
    record = RequireJail(host, name);  // as it is now that it is ours
  }
  Target t{std::move(host), std::move(lock), nullptr, std::move(record), nullptr};
  if (changes) t.interrupts = std::make_unique<host::InterruptScope>();
  t.runtime = host::MakeRuntime(t.host);
  return t;
}

int ApplyTreeChange(Context& c, const Target& t, const jail::TreeChange& change) {
  if (c.options.dry_run) {
    host::PrintPlan(change.plan, *c.out);
    return 0;
  }
  *c.out << change.plan.title << "\n";
  jail::RunTreeChange(change, t.host, *c.out);
  *c.out << (change.plan.Pending() == 0 ? "nothing to do: every step was already done\n"
                                        : "done\n");
  return 0;
}

}  // namespace ljail::cli
