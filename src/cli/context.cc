#include "cli/context.h"

#include <ostream>

namespace ljail::cli {

host::Host Context::MakeHost() const {
  host::Host host(Root());
  if (options.verbose) host.set_trace(err);
  return host;
}

int Context::Apply(const host::Plan& plan, const host::Host& host) const {
  if (options.dry_run) {
    host::PrintPlan(plan, *out);
    return 0;
  }
  *out << plan.title << "\n";
  host::RunPlan(plan, host, *out);
  *out << (plan.Pending() == 0 ? "nothing to do: every step was already done\n" : "done\n");
  return 0;
}

}  // namespace ljail::cli
