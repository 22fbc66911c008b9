// ljail's host settings: one file, /usr/local/etc/ljail.conf, in jail.conf(5)
// syntax (read by the same engine), so there is one place and one spelling
// for where jails live (the seed mixed zdata/jails, zroot/jails and
// /usr/local/jails; ljail cannot).
#pragma once

#include <string>
#include <vector>

#include "core/root_fs.h"

namespace ljail {

inline constexpr const char* kSettingsPath = "/usr/local/etc/ljail.conf";

struct Settings {
  /// ZFS dataset holding media/, templates/ and containers/; empty: plain
  /// directories under jails_dir.
  std::string zfs_root;
  /// Where jails live (the mountpoint of zfs_root).
  std::string jails_dir = "/usr/local/jails";
  /// FreeBSD release for new jails; empty: the host's own release.
  std::string release;
  /// FreeBSD architecture: amd64 or arm64.
  std::string arch = "amd64";
  std::string freebsd_mirror = "https://download.freebsd.org";
  /// pkgbase repositories (pkg.conf(5) url; pkg+ = SRV mirror lookup).
  std::string freebsd_pkg_mirror = "pkg+https://pkg.FreeBSD.org";
  std::string debian_mirror = "http://deb.debian.org/debian";
  std::string ubuntu_mirror = "http://archive.ubuntu.com/ubuntu";

  bool uses_zfs() const { return !zfs_root.empty(); }
  /// "<jails_dir>/<area>" for media, templates, containers.
  std::string Dir(const std::string& area) const { return jails_dir + "/" + area; }
  /// "<zfs_root>/<area>".
  std::string Dataset(const std::string& area) const { return zfs_root + "/" + area; }
};

/// Reads and checks the settings file. A missing file gives the defaults
/// (`*found` false). Unknown keys and bad values are errors (exit 2) naming
/// the file, the line and what would be accepted.
/// `defaults` holds the values of keys the file does not set.
Settings LoadSettings(const RootFs& root, bool* found = nullptr,
                      const std::string& path = kSettingsPath, const Settings& defaults = {});

/// Checks values (dataset name, absolute directory, release, arch, URLs);
/// throws a usage error naming the key.
void ValidateSettings(const Settings& settings);

/// The settings as a commented file, ready to be written.
std::string RenderSettings(const Settings& settings);

/// "14.3-RELEASE" style names (also -BETAn, -RCn, -ALPHAn).
bool IsReleaseName(const std::string& release);
/// A ZFS dataset name: pool/component/..., each of [A-Za-z0-9_.:-].
bool IsDatasetName(const std::string& name);

}  // namespace ljail
