// Linux services of a jail without systemd (issue 6 §6): declared in the
// jail's file as $ljail_services, run with the tree's own init scripts
// (/etc/init.d/SVC start|stop|status) after the jail starts and before it
// stops. On FreeBSD jail(8) does it through the exec.poststart and
// exec.prestop lines ljail writes; on Linux ljail's runtime does it.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "jail/discovery.h"
#include "jail/jail_control.h"

namespace ljail::jail {

inline constexpr const char* kServicesVariable = "ljail_services";

/// A name init scripts can have: letters, digits, '.', '_', '-', '@'.
void ValidateServiceName(const std::string& name);

/// An init script for a declared command: start-stop-daemon (dpkg, in
/// every Debian and Ubuntu tree) runs it in the background as `user` in
/// a session of its own, with a pid file; stop sends TERM to that whole
/// process group, then KILL after 5 s.
std::string CommandInitScript(const std::string& name, const std::string& command,
                              const std::string& user);

/// The jail.conf expressions (for ConfValue::Expression) of the lines that
/// start and stop $ljail_services on FreeBSD: a failing service is
/// reported and does not stop the jail from starting or stopping.
std::string FreeBSDServicesStart(const std::string& linux_dir);
std::string FreeBSDServicesStop(const std::string& linux_dir);

enum class ServiceState { kRunning, kStopped, kUnknown };
const char* ServiceStateName(ServiceState state);

/// The command that runs `/etc/init.d/NAME ACTION` in the tree (a fixed
/// PATH, as init does).
std::vector<std::string> ServiceCommand(const std::string& name, const std::string& action);

/// `/etc/init.d/NAME status`: 0 running, 3 stopped (LSB), else unknown.
ServiceState QueryService(const JailControl& runtime, const JailRecord& jail,
                          const std::string& name);
/// `/etc/init.d/NAME start|stop`, output shown; throws when it fails.
void RunService(const JailControl& runtime, const JailRecord& jail, const std::string& name,
                const std::string& action, std::ostream& out);
/// Every declared service, in order (stop: in reverse); a failure is
/// reported on `out` and the others still run.
void StartServices(const JailControl& runtime, const JailRecord& jail, std::ostream& out);
void StopServices(const JailControl& runtime, const JailRecord& jail, std::ostream& out);

}  // namespace ljail::jail
