// Name rules of jail(8)'s config.c: parameter names with a "no" prefix,
// wildcard jail sections, boolean values.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ljail::jailconf {

/// True when two parameter names denote the same parameter, with or without
/// a "no" prefix on a component ("persist"/"nopersist", "allow.mount"/
/// "allow.nomount"): config.c's equalopts().
bool EqualOpts(std::string_view a, std::string_view b);

/// EqualOpts() with the common answers inline: only equal names, or names
/// two bytes apart (one "no"), can denote the same parameter.
inline bool SameParam(std::string_view a, std::string_view b) {
  if (a.size() == b.size()) return a == b;
  if (a.size() + 2 != b.size() && b.size() + 2 != a.size()) return false;
  return EqualOpts(a, b);
}

/// A section name is a wildcard when some component is exactly "*"
/// ("*", "web.*", "*.db"): config.c's wild_jail_name().
bool IsWildcardName(std::string_view name);

/// Whether jail `name` matches wildcard `pattern`: a non-final "*" matches
/// one component, a final "*" one or more (config.c's wild_jail_match()).
bool WildcardMatches(std::string_view name, std::string_view pattern);

/// The boolean a parameter stands for (config.c's bool_param()): true when
/// valueless, "true" (any case) or a non-zero integer; inverted when the last
/// name component starts with "no".
bool BoolValue(std::string_view name, const std::vector<std::string>& values);

/// The name with a "no" prefix of its last component removed
/// ("allow.nomount" -> "allow.mount"), or the name itself.
std::string WithoutNoPrefix(std::string_view name);

/// jail(8) makes a block's name its "jid" instead of "name" when it is a
/// non-zero integer (strtol consumed it all).
bool NameIsJid(std::string_view block_name);

}  // namespace ljail::jailconf
