// Debian's archive keyring on a FreeBSD host. FreeBSD has no
// debian-archive-keyring package (the debootstrap port ships no keyring),
// so `host init` takes Debian's own package from the Debian mirror of the
// settings, checks it against the SHA-256 that ljail ships, and installs
// its keyring where template builds look (/usr/local/share/keyrings):
// debootstrap then checks the archive's signatures without the user
// copying a file from a Debian machine or passing --no-check-gpg.
#pragma once

#include <string>

#include "host/host.h"
#include "host/plan.h"
#include "host/settings.h"

namespace ljail::host::freebsd {

/// The debian-archive-keyring package that ljail trusts: its version and
/// the SHA-256 of its .deb, as Debian's signed index (bookworm's
/// main/binary-all Packages, checked with gpgv against the keys of a Debian
/// 12 system) lists it. It holds the archive keys of Debian 11, 12 and 13.
struct KeyringPackage {
  const char* version;
  const char* sha256;
};
const KeyringPackage& TrustedKeyringPackage();

/// The package's URL below a Debian mirror (its pool path).
std::string KeyringPackageUrl(const std::string& mirror, const KeyringPackage& package);

/// host init's step: done when `keyring` (the template builds' default
/// Debian keyring) exists; otherwise fetch, check, unpack, install, clean up.
Step DebianKeyringStep(const Host& host, const Settings& settings, const std::string& keyring);

}  // namespace ljail::host::freebsd
