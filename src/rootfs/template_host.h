// What the host's OS decides about building a template: the Debian
// architecture, the tools and where their keyrings live, and what must be
// in place before debootstrap's second stage can run. Each runtime gives
// its own (runtime/freebsd/system.cc, runtime/linux/host_check.cc); the
// template plan itself has no OS branch.
#pragma once

#include <functional>
#include <string>

#include "host/host.h"

namespace ljail::rootfs {

struct TemplateHost {
  /// The host's Debian architecture ("amd64", "arm64"), asked only when
  /// the user names none.
  std::function<std::string(const host::Host&)> debian_arch;
  /// Where the distributions' archive keyrings are installed.
  std::string keyring_dir = "/usr/share/keyrings";
  /// Where a keyring the host lacks comes from, for the message.
  std::string keyring_origin;
  /// A default mirror in the settings means the archive the host's own apt
  /// uses, when it has one.
  bool host_apt_mirror = false;
  /// mmdebstrap is used when installed (else debootstrap).
  bool mmdebstrap = false;
  /// How to install the bootstrap tool, for the message when it is missing.
  std::string install_hint;
  /// The tools see the real file system, so --root applies to the paths
  /// they are given (the FreeBSD simulator applies it itself).
  bool tools_see_real_paths = false;
  /// `ljail host init` makes the templates area (FreeBSD: a dataset under
  /// the settings' zfs_root); otherwise the build makes its directory.
  bool area_from_host_init = false;
  /// Throws (exit 1, saying what fixes it) when a bootstrap's second stage
  /// cannot run now; set when the OS has such a condition.
  std::function<void(const host::Host&)> check_second_stage;
};

}  // namespace ljail::rootfs
