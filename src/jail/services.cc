#include "jail/services.h"

#include <fmt/format.h>

#include <cctype>
#include <ostream>

#include "core/error.h"
#include "core/strings.h"
#include "host/process.h"

namespace ljail::jail {
namespace {

constexpr const char* kInitPath = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";

std::string InitScript(const std::string& name) { return "/etc/init.d/" + name; }

std::string Said(const host::ProcessResult& r) {
  return Trim(r.out + (r.err.empty() ? "" : r.err));
}

}  // namespace

void ValidateServiceName(const std::string& name) {
  bool ok = !name.empty() && name.size() <= 64 && name[0] != '.' && name[0] != '-';
  for (char c : name) {
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' ||
                c == '@');
  }
  if (!ok) {
    ThrowUsage(fmt::format(
        "service \"{}\": give the name of a script of /etc/init.d (letters, digits, '.', '_', "
        "'-', '@')",
        name));
  }
}

std::string CommandInitScript(const std::string& name, const std::string& command,
                              const std::string& user) {
  return fmt::format(
      R"(#!/bin/sh
# {name}: written by ljail (`ljail service JAIL enable {name} --command ...`).
# Runs the command below in the background as {user}; `ljail service JAIL
# disable {name}` removes this file.
### BEGIN INIT INFO
# Provides:          {name}
# Required-Start:
# Required-Stop:
# Default-Start:
# Default-Stop:
# Short-Description: {name} (declared with ljail)
### END INIT INFO
PATH=/usr/sbin:/usr/bin:/sbin:/bin
PIDFILE=/run/ljail-{name}.pid
COMMAND={command}
case "$1" in
  start)
    start-stop-daemon --start --quiet --background --make-pidfile --pidfile "$PIDFILE" \
      --chuid {user} --chdir / --startas /bin/sh -- -c "exec $COMMAND"
    ;;
  stop)
    # The command's whole process group: start-stop-daemon put it in a new
    # session, so what it started goes with it.
    [ -f "$PIDFILE" ] || exit 0
    pid=$(cat "$PIDFILE")
    if ! kill -s 0 "$pid" 2>/dev/null; then rm -f "$PIDFILE"; exit 0; fi
    group=$(sed 's/.*) //' "/proc/$pid/stat" | cut -d' ' -f3)
    case "$group" in ''|0|1) target=$pid ;; *) target=-$group ;; esac
    kill -s TERM -- "$target"
    for i in 1 2 3 4 5 6 7 8 9 10; do
      kill -s 0 -- "$target" 2>/dev/null || break
      sleep 0.5
    done
    kill -s KILL -- "$target" 2>/dev/null
    rm -f "$PIDFILE"
    ;;
  restart)
    "$0" stop && "$0" start
    ;;
  status)
    start-stop-daemon --status --pidfile "$PIDFILE"
    status=$?
    [ "$status" -eq 1 ] && exit 3  # a stale pid file: not running (LSB 3)
    exit "$status"
    ;;
  *)
    echo "usage: $0 start|stop|restart|status" >&2
    exit 2
    ;;
esac
)",
      fmt::arg("name", name), fmt::arg("user", user),
      fmt::arg("command", host::ShellQuoteWord(command)));
}

std::string FreeBSDServicesStart(const std::string& linux_dir) {
  return fmt::format(
      "for s in ${{ljail_services}}; do /usr/sbin/jexec ${{name}} /usr/sbin/chroot {} "
      "/usr/bin/env -i {} /etc/init.d/$$s start || echo \"${{name}}: Linux service $$s did not "
      "start\" >&2; done",
      linux_dir, kInitPath);
}

std::string FreeBSDServicesStop(const std::string& linux_dir) {
  return fmt::format(
      "r=; for s in ${{ljail_services}}; do r=\"$$s $$r\"; done; for s in $$r; do "
      "/usr/sbin/jexec ${{name}} /usr/sbin/chroot {} /usr/bin/env -i {} /etc/init.d/$$s stop "
      "|| echo \"${{name}}: Linux service $$s did not stop\" >&2; done",
      linux_dir, kInitPath);
}

std::vector<std::string> ServiceCommand(const std::string& name, const std::string& action) {
  return {"/usr/bin/env", kInitPath, InitScript(name), action};
}

const char* ServiceStateName(ServiceState state) {
  switch (state) {
    case ServiceState::kRunning:
      return "running";
    case ServiceState::kStopped:
      return "stopped";
    case ServiceState::kUnknown:
      return "unknown";
  }
  return "unknown";
}

ServiceState QueryService(const JailControl& runtime, const JailRecord& jail,
                          const std::string& name) {
  if (!runtime.IsRunning(jail)) return ServiceState::kStopped;
  host::ProcessResult r = runtime.RunInTree(jail, ServiceCommand(name, "status"));
  if (r.exit_code == 0) return ServiceState::kRunning;
  if (r.exit_code == 3) return ServiceState::kStopped;
  return ServiceState::kUnknown;
}

void RunService(const JailControl& runtime, const JailRecord& jail, const std::string& name,
                const std::string& action, std::ostream& out) {
  host::ProcessResult r = runtime.RunInTree(jail, ServiceCommand(name, action));
  std::string said = Said(r);
  if (r.exit_code != 0) {
    ThrowFailure(fmt::format("{}: /etc/init.d/{} {} exited {}{}", jail.name, name, action,
                             r.exit_code, said.empty() ? "" : ": " + said));
  }
  out << fmt::format("{}: service {} {}{}\n", jail.name, name,
                     action == "start"  ? "started"
                     : action == "stop" ? "stopped"
                                        : action,
                     said.empty() ? "" : " (" + said + ")");
}

void StartServices(const JailControl& runtime, const JailRecord& jail, std::ostream& out) {
  for (const std::string& s : jail.services) {
    try {
      RunService(runtime, jail, s, "start", out);
    } catch (const Error& e) {
      out << "warning: " << e.what() << "\n";
    }
  }
}

void StopServices(const JailControl& runtime, const JailRecord& jail, std::ostream& out) {
  for (auto it = jail.services.rbegin(); it != jail.services.rend(); ++it) {
    try {
      RunService(runtime, jail, *it, "stop", out);
    } catch (const Error& e) {
      out << "warning: " << e.what() << "\n";
    }
  }
}

}  // namespace ljail::jail
