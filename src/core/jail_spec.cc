#include "core/jail_spec.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <algorithm>
#include <regex>
#include <set>

#include "core/error.h"
#include "core/strings.h"

namespace ljail {
namespace {

// Directories of the Linux tree that ljail mounts itself or that hold the
// system: a share may not land on them.
bool ReservedJailDir(const std::string& dir) {
  static const std::set<std::string> exact = {"/",      "/bin",  "/boot", "/etc", "/lib", "/lib32",
                                              "/lib64", "/sbin", "/usr",  "/var", "/run"};
  if (exact.count(dir)) return true;
  // /dev, /proc, /sys: ljail's own mounts. The others are symbolic links in a
  // merged-/usr tree (and /var/run, /var/lock in every Debian tree): jail(8)
  // refuses a mount point through a link (docs/freebsd.md §3.1).
  for (const char* tree : {"/dev", "/proc", "/sys", "/bin", "/sbin", "/lib", "/lib32", "/lib64",
                           "/libx32", "/var/run", "/var/lock"}) {
    std::string t(tree);
    if (dir == t || dir.starts_with(t + "/")) return true;
  }
  return false;
}

bool Inside(const std::string& dir, const std::string& top) {
  return dir == top || dir.starts_with(top + "/");
}

// Host directories a jail may never be given: the kernel's views of the
// host (a jail would see and change the host's devices, processes and
// sysctls) and ljail's own storage and state, or a directory above them
// (a jail would reach the other jails' trees and its own keeper's state).
std::string ForbiddenShare(const std::string& host_dir) {
  for (const char* kernel : {"/dev", "/proc", "/sys"}) {
    if (Inside(host_dir, kernel)) return fmt::format("{} is the host's {}", host_dir, kernel);
  }
  for (const char* storage : {"/var/lib/ljail", "/run/ljail", "/usr/local/jails"}) {
    if (Inside(host_dir, storage) || Inside(storage, host_dir))
      return fmt::format("{} holds ljail's own storage or state ({})", host_dir, storage);
  }
  return "";
}

int ParsePrefix(const std::string& text, int max, const std::string& what) {
  if (text.empty() || text.size() > 3 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    ThrowUsage(
        fmt::format("{}: prefix length \"{}\" is not a number from 0 to {}", what, text, max));
  }
  int n = std::stoi(text);
  if (n > max) ThrowUsage(fmt::format("{}: prefix length {} is over {}", what, n, max));
  return n;
}

}  // namespace

std::string NormalizeAbsolutePath(const std::string& path, const std::string& what) {
  if (path.empty() || path[0] != '/') {
    ThrowUsage(fmt::format("{} \"{}\": expected an absolute path", what, path));
  }
  std::string out;
  for (const std::string& part : Split(path, '/')) {
    if (part.empty() || part == ".") continue;
    if (part == "..") ThrowUsage(fmt::format("{} \"{}\": \"..\" is not allowed", what, path));
    out += "/" + part;
  }
  return out.empty() ? "/" : out;
}

void ValidateJailName(const std::string& name) {
  static const std::regex kName("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");
  if (!std::regex_match(name, kName)) {
    ThrowUsage(
        fmt::format("jail name \"{}\": use 1 to 63 letters, digits, '-' or '_' (no '.', "
                    "which jail(8) reads as a child jail, and no '/')",
                    name));
  }
  if (name.find_first_not_of("0123456789") == std::string::npos) {
    ThrowUsage(
        fmt::format("jail name \"{}\": all digits is a jail id to jail(8); add a letter", name));
  }
}

void ValidateHostname(const std::string& hostname) {
  static const std::regex kLabel("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
  bool ok = !hostname.empty() && hostname.size() <= 253;
  if (ok) {
    for (const std::string& label : Split(hostname, '.'))
      ok = ok && std::regex_match(label, kLabel);
  }
  if (!ok) {
    ThrowUsage(
        fmt::format("host name \"{}\": expected dot-separated labels of letters, digits and "
                    "'-' (RFC 1123), e.g. d2l.example.org",
                    hostname));
  }
}

void ValidateInterface(const std::string& name) {
  static const std::regex kInterface("[A-Za-z][A-Za-z0-9_.]{0,14}");
  if (!std::regex_match(name, kInterface)) {
    ThrowUsage(
        fmt::format("interface \"{}\": expected a name such as em0 or wifibox0 (at most 15 "
                    "characters)",
                    name));
  }
}

std::string ParseIp4(const std::string& text) {
  std::string what = fmt::format("--ip4 {}", text);
  size_t slash = text.find('/');
  std::string address = text.substr(0, slash);
  unsigned char buffer[4];
  if (::inet_pton(AF_INET, address.c_str(), buffer) != 1) {
    ThrowUsage(fmt::format("{}: \"{}\" is not an IPv4 address (e.g. 10.0.0.9/24)", what, address));
  }
  if (slash == std::string::npos) return address;
  return fmt::format("{}/{}", address, ParsePrefix(text.substr(slash + 1), 32, what));
}

std::string ParseIp6(const std::string& text) {
  if (text == "inherit" || text == "disable") return text;
  std::string what = fmt::format("--ip6 {}", text);
  size_t slash = text.find('/');
  std::string address = text.substr(0, slash);
  unsigned char buffer[16];
  if (::inet_pton(AF_INET6, address.c_str(), buffer) != 1) {
    ThrowUsage(
        fmt::format("{}: expected inherit, disable or an IPv6 address (e.g. fd00::9/64)", what));
  }
  if (slash == std::string::npos) return address;
  return fmt::format("{}/{}", address, ParsePrefix(text.substr(slash + 1), 128, what));
}

Share ParseShare(const std::string& text) {
  std::string what = fmt::format("--share {}", text);
  std::vector<std::string> parts = Split(text, ':');
  Share share;
  if (!parts.empty() && (parts.back() == "ro" || parts.back() == "rw")) {
    share.read_only = parts.back() == "ro";
    parts.pop_back();
  }
  if (parts.empty() || parts.size() > 2) {
    ThrowUsage(fmt::format("{}: expected HOSTDIR[:JAILDIR][:ro] (paths cannot hold ':')", what));
  }
  share.host_dir = NormalizeAbsolutePath(parts[0], what + ": host directory");
  share.jail_dir =
      NormalizeAbsolutePath(parts.size() == 2 ? parts[1] : parts[0], what + ": jail directory");
  if (share.host_dir == "/") ThrowUsage(what + ": sharing the host's whole / is refused");
  // jail.conf(5) expands $name and ${name} inside a mount line: a '$' in a
  // path would mount another directory than the one given.
  if (text.find('$') != std::string::npos)
    ThrowUsage(what + ": a path with '$' is refused (jail.conf(5) would read it as a variable)");
  if (std::string why = ForbiddenShare(share.host_dir); !why.empty())
    ThrowUsage(fmt::format("{}: refused: {}", what, why));
  if (ReservedJailDir(share.jail_dir)) {
    ThrowUsage(
        fmt::format("{}: {} belongs to the Linux system or to ljail's own mounts; choose "
                    "another directory in the jail",
                    what, share.jail_dir));
  }
  return share;
}

namespace {

uint32_t Ip4Value(const std::string& address) {
  in_addr a{};
  ::inet_pton(AF_INET, address.c_str(), &a);
  return ntohl(a.s_addr);
}

// --vnet: one IPv4 address with its prefix on the bridge, the gateway in
// that network; no shared-IP parameters.
void ValidateVnet(JailSpec& spec) {
  if (!spec.vnet) {
    if (!spec.bridge.empty() || !spec.gateway.empty())
      ThrowUsage("--bridge and --gateway are for a jail with its own network: add --vnet");
    return;
  }
  if (!spec.interface.empty())
    ThrowUsage(
        "--interface is for jails sharing the host's addresses; a --vnet jail joins "
        "--bridge instead");
  if (spec.ip6 != "inherit" && spec.ip6 != "disable")
    ThrowUsage(
        "--ip6 ADDR is not supported with --vnet yet: the jail's IPv6 comes from its "
        "bridge's network (router advertisements)");
  if (spec.ip4.empty()) {
    if (!spec.bridge.empty() || !spec.gateway.empty())
      ThrowUsage("--bridge and --gateway need the jail's address on that bridge: --ip4 ADDR/LEN");
    return;  // its own network stack with only the loopback
  }
  if (spec.ip4.size() > 1) ThrowUsage("--vnet takes one --ip4 ADDR/LEN");
  const std::string& a = spec.ip4.front();
  size_t slash = a.find('/');
  if (slash == std::string::npos)
    ThrowUsage(fmt::format("--ip4 {}: a --vnet jail needs the prefix length too (ADDR/LEN)", a));
  if (spec.bridge.empty()) spec.bridge = kDefaultBridge;
  ValidateInterface(spec.bridge);
  if (!spec.gateway.empty()) {
    std::string gw = ParseIp4(spec.gateway);
    if (gw.find('/') != std::string::npos) ThrowUsage("--gateway: give an address without /LEN");
    int len = std::stoi(a.substr(slash + 1));
    uint32_t mask = len == 0 ? 0 : ~uint32_t{0} << (32 - len);
    if ((Ip4Value(gw) & mask) != (Ip4Value(a.substr(0, slash)) & mask))
      ThrowUsage(fmt::format("--gateway {} is not in the jail's network {}", gw, a));
    if (gw == a.substr(0, slash)) ThrowUsage("--gateway is the jail's own address");
    spec.gateway = gw;
  }
}

}  // namespace

void ValidateJailSpec(JailSpec& spec) {
  ValidateJailName(spec.name);
  ValidateHostname(spec.hostname);
  if (!spec.interface.empty()) ValidateInterface(spec.interface);
  ValidateVnet(spec);
  std::set<std::string> seen;
  for (const Share& s : spec.shares) {
    if (!seen.insert(s.jail_dir).second) {
      ThrowUsage(fmt::format("--share: {} is given twice as a jail directory", s.jail_dir));
    }
  }
}

}  // namespace ljail
