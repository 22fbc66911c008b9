// Running jails and how to start and stop them: jls(8), jail(8) and
// rc.d/jail through service(8) (docs/freebsd.md §1.5, §2.4, §2.5).
#pragma once

#include <string>
#include <vector>

#include "host/host.h"
#include "host/process.h"

namespace ljail::host::freebsd {

struct RunningJail {
  int jid = 0;
  std::string name;
  std::string hostname;
  std::string path;
  std::vector<std::string> ip4;
  std::vector<std::string> ip6;
  bool dying = false;
};

/// Every running jail, from one `jls -v --libxo json` call.
std::vector<RunningJail> RunningJails(const Host& host);
/// Parses jls -v's libxo JSON. The nesting of address lists is not pinned
/// down by the sources (docs/freebsd.md §2.5, §10): plain lists, lists of
/// {"ipv4_addr": ...} objects and comma-separated strings are all accepted.
std::vector<RunningJail> ParseJlsJson(const std::string& text);

Command ServiceJail(const std::string& verb, const std::string& jail);

}  // namespace ljail::host::freebsd
