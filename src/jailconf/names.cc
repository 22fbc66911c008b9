#include "jailconf/names.h"

#include <strings.h>

#include <cstdlib>

namespace ljail::jailconf {
namespace {

bool StartsWithNo(std::string_view s) { return s.substr(0, 2) == "no"; }

// "noopt" vs "opt" in either order.
bool EqualWithNo(std::string_view a, std::string_view b) {
  return (StartsWithNo(a) && a.substr(2) == b) || (StartsWithNo(b) && b.substr(2) == a);
}

long StrtolPrefix(const std::string& s, const char** end) {
  char* ep = nullptr;
  long value = std::strtol(s.c_str(), &ep, 10);
  *end = ep;
  return value;
}

}  // namespace

bool EqualOpts(std::string_view a, std::string_view b) {
  // Only equal names, or names two bytes apart (one "no"), can match.
  if (a.size() == b.size()) return a == b;
  if (a.size() + 2 != b.size() && b.size() + 2 != a.size()) return false;
  if (EqualWithNo(a, b)) return true;
  // Walk the common dotted prefix; at each component try the "no" forms.
  for (;;) {
    size_t dot = a.find('.');
    if (dot == std::string_view::npos) return false;
    if (a.substr(0, dot + 1) != b.substr(0, dot + 1)) return false;
    a.remove_prefix(dot + 1);
    b.remove_prefix(dot + 1);
    if (EqualWithNo(a, b)) return true;
  }
}

bool IsWildcardName(std::string_view name) {
  for (size_t star = name.find('*'); star != std::string_view::npos;
       star = name.find('*', star + 1)) {
    bool starts_component = star == 0 || name[star - 1] == '.';
    bool ends_component = star + 1 == name.size() || name[star + 1] == '.';
    if (starts_component && ends_component) return true;
  }
  return false;
}

bool WildcardMatches(std::string_view name, std::string_view pattern) {
  for (;;) {
    size_t name_dot = name.find('.');
    size_t pattern_dot = pattern.find('.');
    if (name_dot == std::string_view::npos || pattern_dot == std::string_view::npos) break;
    // config.c compares the component *with* its dot (strncmp of jd-jc+1).
    if (name.substr(0, name_dot + 1) != pattern.substr(0, name_dot + 1) &&
        pattern.substr(0, 2) != "*.") {
      return false;
    }
    name.remove_prefix(name_dot + 1);
    pattern.remove_prefix(pattern_dot + 1);
  }
  return name == pattern || pattern == "*";
}

bool BoolValue(std::string_view name, const std::vector<std::string>& values) {
  size_t dot = name.rfind('.');
  std::string_view last = dot == std::string_view::npos ? name : name.substr(dot + 1);
  bool inverted = StartsWithNo(last);
  bool set = values.empty();
  if (!set) {
    const std::string& value = values.back();
    const char* end = nullptr;
    set = ::strcasecmp(value.c_str(), "true") == 0 || StrtolPrefix(value, &end) != 0;
  }
  return inverted != set;
}

std::string WithoutNoPrefix(std::string_view name) {
  size_t dot = name.rfind('.');
  size_t start = dot == std::string_view::npos ? 0 : dot + 1;
  if (name.substr(start, 2) != "no") return std::string(name);
  std::string out(name.substr(0, start));
  out += name.substr(start + 2);
  return out;
}

bool NameIsJid(std::string_view block_name) {
  std::string name(block_name);
  const char* end = nullptr;
  return StrtolPrefix(name, &end) != 0 && *end == '\0';
}

}  // namespace ljail::jailconf
