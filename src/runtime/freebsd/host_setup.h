// Preparing a FreeBSD host for Linux jails (seed-walkthrough.md steps 1-2):
// the Linux ABI, jails at boot, settings and storage. One plan serves both
// `ljail host check` (report) and `ljail host init` (apply); every step is
// checked against the host first, so a second init changes nothing.
#pragma once

#include <optional>
#include <string>

#include "host/host.h"
#include "host/plan.h"
#include "host/settings.h"
#include "runtime/freebsd/system.h"
#include "runtime/runtime.h"

namespace ljail::host::freebsd {

/// What the plan was made from, for the report.
struct HostFacts {
  HostRelease release;
  std::string arch;
  std::vector<std::string> pools;
  bool settings_found = false;
  Settings settings;  ///< as read, or as `host init` will write them
};

struct HostSetup {
  HostFacts facts;
  Plan plan;
};

/// Reads the host and builds the plan. Throws a usage error (exit 2) when an
/// option contradicts the existing settings file or names a missing pool.
HostSetup MakeHostSetup(const Host& host, const HostSetupOptions& options);

}  // namespace ljail::host::freebsd
