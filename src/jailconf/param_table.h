// Everything ljail knows about jail parameters, in one table
// (docs/freebsd.md §2.1 kernel parameters, §2.2 jail(8) pseudo-parameters).
//
// Validation reads the table generically and speaks jail(8)'s wording; a new
// parameter is one row (and one test).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ljail::jailconf {

enum class ParamType {
  kString,
  kBool,     ///< valueless, true/false, or an integer; "no" prefix inverts
  kInt,      ///< an integer, base 10
  kJailSys,  ///< "disable", "new", "inherit" or 0/1/2
  kIp4List,  ///< IPv4 addresses (jail(8) accepts "IFACE|ADDR/MASK opts")
  kIp6List,  ///< IPv6 addresses, same forms
  kList,     ///< any list of strings (mount lines, exec commands...)
};

/// `ip4.addr = "";` or `ip6.addr = "-";`: no addresses (libjail reads a
/// lone "" or "-" of an array parameter as an empty array).
inline bool IsEmptyAddressList(const std::vector<std::string>& values) {
  return values.size() == 1 && (values[0].empty() || values[0] == "-");
}

enum ParamFlag : unsigned {
  kInternal = 1u << 0,       ///< handled by jail(8), never passed to the kernel
  kImmutable = 1u << 1,      ///< "name"/"jid": implied by the block, cannot be redefined
  kReverseOnStop = 1u << 2,  ///< undone in reverse order on stop (mount, ip addresses)
  kCreationOnly = 1u << 3,   ///< RDTUN: changing it means recreating the jail
  kJail8Table = 1u << 4,     ///< in config.c's intparams[]: no $variable may take its name
  kReadOnly = 1u << 5,       ///< reported by jls, cannot be set
  kSettable = 1u << 6,       ///< `ljail set` changes it (jail/settable.h)
};

/// How ljail's Linux runtime treats a parameter (runtime/linux/runtime_spec.cc).
enum class OnLinux {
  kRefused,      ///< no Linux counterpart: a jail that sets it is not started
  kHonoured,     ///< every value jail(8) accepts
  kInheritOnly,  ///< only "inherit": without vnet a jail shares the host's stack
};

struct ParamSpec {
  std::string_view name;
  ParamType type;
  unsigned flags;
  OnLinux on_linux = OnLinux::kRefused;
  /// The capability the Linux runtime leaves in the jail's bounding set
  /// when the parameter is set, and drops otherwise (linux/confinement.cc).
  std::string_view linux_capability = {};
};

/// Every row, kernel parameters first, then jail(8)'s own.
std::span<const ParamSpec> AllParams();

/// The spec of a parameter, accepting the "no" form of booleans and the
/// families created at run time (allow.mount.<fs>, allow.*, linux.*).
/// nullptr when the name is unknown.
const ParamSpec* FindParam(std::string_view name);

/// Whether a `$variable` of this name collides with a jail(8) parameter
/// (config.c checks every intparams[] entry with equalopts()).
bool VariableNameIsReserved(std::string_view name);

/// The known parameter closest to an unknown name, for "did you mean".
std::string_view ClosestParamName(std::string_view name);

}  // namespace ljail::jailconf
