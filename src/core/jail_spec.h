// What a user asks for when creating a jail, checked before anything
// changes (DESIGN.md, principle 5). Host-independent: the FreeBSD layer and
// the Linux runtime build the same jails from it.
#pragma once

#include <string>
#include <vector>

namespace ljail {

/// A host directory shared into the jail's Linux tree (nullfs on FreeBSD,
/// a bind mount on Linux).
struct Share {
  std::string host_dir;  ///< absolute, normalized
  std::string jail_dir;  ///< absolute inside the Linux tree
  bool read_only = false;
};

struct JailSpec {
  std::string name;
  std::string hostname;
  std::string distro;  ///< debian, ubuntu
  std::string suite;
  std::string template_key;      ///< an existing Linux template instead of distro/suite
  std::string release;           ///< FreeBSD release of the jail's base (FreeBSD hosts)
  std::string interface;         ///< where jail(8) adds the addresses
  std::vector<std::string> ip4;  ///< "ADDR/LEN" as given (LEN optional)
  std::string ip6 = "inherit";   ///< inherit, disable, or ADDR[/LEN]; "" = the host's default
  std::vector<Share> shares;
  std::string dns = "copy";  ///< copy, static:ADDR[,ADDR], none
  std::string timezone;      ///< a tz database name; "" = the host's
  /// A network stack of its own; with ip4, linked to `bridge` (an epair on
  /// FreeBSD, a veth pair on Linux) with that address and `gateway`.
  bool vnet = false;
  std::string bridge;
  std::string gateway;
  bool raw_sockets = false;  ///< allow.raw_sockets: ping for root
  /// Linux hosts: a user namespace of its own, root inside an unprivileged
  /// host id (runtime/linux/user_namespace.h).
  bool userns = false;
};

/// The bridge of a vnet jail with an address when none is named.
inline constexpr const char* kDefaultBridge = "ljail0";

/// A jail name ljail accepts: letters, digits, '-' and '_', at most 63, not
/// all digits (jail(8) would take it for a jid) and without '.', which jail(8)
/// reads as a child jail. Throws a usage error otherwise.
void ValidateJailName(const std::string& name);
/// RFC 1123 host name.
void ValidateHostname(const std::string& hostname);
/// An interface name the kernel can hold (15 characters).
void ValidateInterface(const std::string& name);
/// "ADDR" or "ADDR/LEN" for IPv4; returns it normalized.
std::string ParseIp4(const std::string& text);
/// "inherit", "disable", or "ADDR[/LEN]" for IPv6.
std::string ParseIp6(const std::string& text);
/// HOSTDIR[:JAILDIR][:ro|:rw] with absolute paths; JAILDIR defaults to HOSTDIR.
Share ParseShare(const std::string& text);
/// Checks the spec as a whole (shares distinct, interface given with
/// addresses, a vnet jail's one address with its prefix length and a
/// gateway inside it...). Fills in the default bridge. Throws usage errors.
void ValidateJailSpec(JailSpec& spec);

/// "/a//b/./c/" -> "/a/b/c"; throws a usage error for "..".
std::string NormalizeAbsolutePath(const std::string& path, const std::string& what);

}  // namespace ljail
