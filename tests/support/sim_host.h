// A simulated FreeBSD host for one test: tests/freebsd-sim/run with a state
// directory of its own, removed at the end.
#pragma once

#include <string>
#include <vector>

#include "support/run_ljail.h"
#include "support/temp_dir.h"

namespace ljail::testing {

/// Where a FreeBSD host keeps Debian's keyring for ljail (host init's step).
inline constexpr const char* kSimDebianKeyring =
    "/usr/local/share/keyrings/debian-archive-keyring.gpg";

/// Its root holds Debian's keyring (kSimDebianKeyring), copied from this
/// machine's, so that `host init` finds it there.
class SimHost {
 public:
  SimHost();

  /// Runs a simulated FreeBSD command (zfs, jls, sysrc, ...).
  RunResult Run(const std::vector<std::string>& args) const;
  /// Runs ljail against the simulated host (--root and the FreeBSD layer set).
  RunResult Ljail(const std::vector<std::string>& args) const;
  /// The real path of a path on the simulated host.
  std::string Real(const std::string& host_path) const;
  /// Writes a file on the simulated host.
  void Write(const std::string& host_path, const std::string& content) const;
  std::string Read(const std::string& host_path) const;
  const std::string& state() const { return state_; }

 private:
  TempDir dir_;
  std::string state_;
};

}  // namespace ljail::testing
