// The bootstrap tools: debootstrap (FreeBSD's sysutils/debootstrap, or
// Debian's) and mmdebstrap (Linux hosts, faster). argv only.
#pragma once

#include <string>

#include "host/host.h"
#include "host/process.h"
#include "rootfs/template_key.h"

namespace ljail::rootfs {

struct BootstrapOptions {
  TemplateKey key;
  std::string target;   ///< host path of the (empty) tree
  std::string keyring;  ///< archive keyring; "" with check_gpg false
  bool check_gpg = true;
};

/// debootstrap --arch=ARCH ... SUITE TARGET MIRROR. The architecture is
/// always given: FreeBSD's port would otherwise guess kfreebsd-<arch>
/// (docs/freebsd.md §8). --merged-usr where the suite requires it.
host::Command DebootstrapCommand(const BootstrapOptions& options);
/// mmdebstrap --variant=... --architectures=ARCH ... SUITE TARGET MIRROR.
host::Command MmdebstrapCommand(const BootstrapOptions& options);

/// The distribution's archive keyring in `keyring_dir` (TemplateHost's: the
/// debian-archive-keyring / ubuntu-keyring packages' directory).
std::string DefaultKeyring(const std::string& keyring_dir, const std::string& distro);

/// "debootstrap 1.0.128+nmu2" from `debootstrap --version`, "" if absent.
std::string ToolVersion(const host::Host& host, const std::string& tool);

}  // namespace ljail::rootfs
