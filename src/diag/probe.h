// The network probe matrix of `ljail doctor` (issue 7 §2): one Perl script
// run inside the jail's Linux tree as a Linux program (so that on FreeBSD it
// goes through the Linuxulator like the user's own programs), as root and
// as a user. It needs only perl-base's Socket module, which every Debian and
// Ubuntu minbase tree has: nothing is installed into a jail to diagnose it.
#pragma once

#include <string>
#include <vector>

namespace ljail::diag {

/// One probe's outcome, as the script printed it.
struct ProbeResult {
  std::string name;    ///< "udp_dns", "inet6_socket", "bind_localhost"...
  std::string target;  ///< "192.168.0.1", "127.0.0.1", "" when none
  bool ok = false;
  int error = 0;       ///< the Linux errno the program saw (0 when ok)
  std::string detail;  ///< strerror text, or what was observed when ok
};

/// The script; run as `perl -e SCRIPT NAME_TO_LOOK_UP` (an empty name: the
/// host of the tree's first apt source, else debian.org).
const char* ProbeScript();

/// Parses the script's output ("PROBE name target ok|fail errno detail"
/// lines); other lines are ignored.
std::vector<ProbeResult> ParseProbeOutput(const std::string& output);

}  // namespace ljail::diag
