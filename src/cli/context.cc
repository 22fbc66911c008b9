#include "cli/context.h"

#include <cstdlib>
#include <ostream>

#include "core/strings.h"
#include "host/interrupt.h"

namespace ljail::cli {

host::Host Context::MakeHost() const {
  host::Host host(Root());
  if (options.verbose) host.set_trace(err);
  return host;
}

namespace {

std::string CommandLine(const GlobalOptions& options) {
  std::vector<std::string> argv = {"ljail"};
  argv.insert(argv.end(), options.command_line.begin(), options.command_line.end());
  return host::ShellQuote(argv);
}

}  // namespace

std::optional<host::HostLock> Context::LockJail(const host::Host& host,
                                                const std::string& name) const {
  if (options.dry_run) return std::nullopt;
  // LJAIL_LOCK_WAIT_MS: how long a second command waits (tests shorten it).
  long wait_ms = 5000;
  if (const char* w = std::getenv("LJAIL_LOCK_WAIT_MS"); w && *w)
    wait_ms = LeadingInt(w).value_or(wait_ms);
  return host::HostLock::Take(host, "jail-" + name, CommandLine(options),
                              std::chrono::milliseconds(wait_ms), err);
}

std::optional<host::HostLock> Context::LockHost(const host::Host& host) const {
  if (options.dry_run) return std::nullopt;
  return host::HostLock::Take(host, "host", CommandLine(options), std::chrono::hours(1), err);
}

int Context::Apply(const host::Plan& plan, const host::Host& host) const {
  if (options.dry_run) {
    host::PrintPlan(plan, *out);
    return 0;
  }
  *out << plan.title << "\n";
  host::InterruptScope interrupts;  // Ctrl-C stops the step, then the plan
  host::RunPlan(plan, host, *out);
  *out << (plan.Pending() == 0 ? "nothing to do: every step was already done\n" : "done\n");
  return 0;
}

}  // namespace ljail::cli
