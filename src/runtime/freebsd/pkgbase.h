// FreeBSD's base system as packages (pkgbase, freebsd-base(7)): the
// FreeBSD-base repository a release template is installed from with pkg(8)
// on 15.x and later, and the pkg command lines that install and upgrade it
// (docs/freebsd.md §7).
#pragma once

#include <string>
#include <vector>

#include "host/settings.h"
#include "rootfs/release_template.h"

namespace ljail::host::freebsd {

/// The repository of one release's base packages for one architecture.
struct PkgbaseRepo {
  std::string abi;           ///< "FreeBSD:15:amd64" (pkg's ABI, -o ABI=)
  std::string osversion;     ///< "1500000": __FreeBSD_version of X.Y.0 (-o OSVERSION=)
  std::string url;           ///< "<freebsd_pkg_mirror>/FreeBSD:15:amd64/base_release_0"
  std::string mirror_type;   ///< "srv" for pkg+ URLs, else "none"
  std::string fingerprints;  ///< host directory holding trusted/ (and revoked/)
};

/// The package set a template is made of: the smallest one a jail boots
/// with (freebsd-base(7): FreeBSD-set-minimal-jail).
inline constexpr const char* kPkgbaseJailSet = "FreeBSD-set-minimal-jail";
/// The repository's name in /etc/pkg/FreeBSD.conf, which ljail's own
/// configuration keeps so that messages and `pkg -r` read the same.
inline constexpr const char* kPkgbaseRepoName = "FreeBSD-base";

/// Major and minor number of "15.0-RELEASE" (15, 0).
int ReleaseMajor(const std::string& release);
int ReleaseMinor(const std::string& release);

PkgbaseRepo MakePkgbaseRepo(const Settings& settings, const rootfs::ReleaseRequest& request);

/// The repository as a pkg.conf(5) repository file (UCL), enabled.
std::string RenderPkgbaseRepoConf(const PkgbaseRepo& repo);

/// `pkg -R CONF_DIR --rootdir TREE -o ABI=... -o OSVERSION=... ARGS...`:
/// pkg working on a template from the host, with only ljail's repository
/// configuration.
std::vector<std::string> PkgOnTree(const PkgbaseRepo& repo, const std::string& conf_dir,
                                   const std::string& tree, std::vector<std::string> args);

}  // namespace ljail::host::freebsd
