// The Debian/Ubuntu archive a Linux host's own apt uses, so that templates
// come from the mirror the machine already trusts and reaches (issue 5:
// "the archive that the host's own apt sources name").
#pragma once

#include <string>
#include <vector>

#include "host/host.h"

namespace ljail::rootfs {

struct AptSource {
  std::string uri;
  std::vector<std::string> suites;
};

/// The `deb` entries of a sources.list(5) file, one-line style.
std::vector<AptSource> ParseOneLineSources(const std::string& text);
/// The `deb` entries of a deb822 .sources file (stanzas; Enabled: no skipped).
std::vector<AptSource> ParseDeb822Sources(const std::string& text);

/// The first source serving a release suite of `distro` (a known suite
/// name, not -security/-updates/-backports); "" when there is none.
std::string ArchiveFor(const std::vector<AptSource>& sources, const std::string& distro);

/// ArchiveFor over /etc/apt/sources.list and /etc/apt/sources.list.d/, in
/// apt's order.
std::string HostAptArchive(const host::Host& host, const std::string& distro);

}  // namespace ljail::rootfs
