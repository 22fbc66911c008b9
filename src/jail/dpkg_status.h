// What dpkg says is installed in a Linux tree: its status database
// (dpkg(1): /var/lib/dpkg/status, deb822 stanzas), read as data with the
// tree API, so that a plan can tell an installed package without running
// anything in the tree, and with the jail stopped.
#pragma once

#include <set>
#include <string>
#include <string_view>

namespace ljail::jail {

inline constexpr const char* kDpkgStatusPath = "/var/lib/dpkg/status";

/// The packages whose Status line ends in "installed" ("install ok
/// installed", "hold ok installed"): not those unpacked, half-configured
/// or removed with their configuration kept.
std::set<std::string> InstalledPackages(std::string_view status);

/// True when `request` (an apt-get install argument) names a plain package
/// that `installed` has. A request with a version, a release or an
/// architecture ("curl=7.88.1-10", "curl/bookworm-backports", "libc6:i386")
/// is never counted as installed: dpkg's name alone cannot say it is met.
bool IsInstalled(const std::set<std::string>& installed, const std::string& request);

}  // namespace ljail::jail
