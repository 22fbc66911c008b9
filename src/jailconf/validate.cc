#include "jailconf/validate.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <strings.h>

#include <cstdlib>

#include "jailconf/param_table.h"

namespace ljail::jailconf {
namespace {

// strtol() consumed something, and everything.
bool IsInteger(const std::string& value) {
  char* end = nullptr;
  [[maybe_unused]] long parsed = std::strtol(value.c_str(), &end, 10);
  return end != value.c_str() && *end == '\0';
}

// config.c check_intparams(): "true", "false" or anything strtol() eats whole
// (the empty string included).
bool IsBoolean(const std::string& value) {
  if (::strcasecmp(value.c_str(), "true") == 0 || ::strcasecmp(value.c_str(), "false") == 0) {
    return true;
  }
  char* end = nullptr;
  [[maybe_unused]] long parsed = std::strtol(value.c_str(), &end, 10);
  return *end == '\0';
}

bool IsJailSys(const std::string& value) {
  for (const char* word : {"disable", "new", "inherit"}) {
    if (::strcasecmp(value.c_str(), word) == 0) return true;
  }
  return IsInteger(value);
}

// jail(8) accepts "IFACE|ADDR/MASK extra-ifconfig-args" and keeps only ADDR
// for the kernel (config.c check_intparams()).
std::string AddressPart(const std::string& value) {
  std::string address = value;
  if (size_t bar = address.find('|'); bar != std::string::npos) address.erase(0, bar + 1);
  if (size_t slash = address.find('/'); slash != std::string::npos) address.resize(slash);
  if (size_t space = address.find(' '); space != std::string::npos) address.resize(space);
  return address;
}

bool IsAddress(int family, const std::string& text) {
  unsigned char buffer[16];
  return ::inet_pton(family, text.c_str(), buffer) == 1;
}

size_t FieldCount(const std::string& line) {
  size_t count = 0;
  bool in_field = false;
  for (char c : line) {
    bool space = c == ' ' || c == '\t';
    if (!space && !in_field) ++count;
    in_field = !space;
  }
  return count;
}

void ValidateParam(const EvaluatedJail& jail, const EvaluatedParam& param,
                   Diagnostics* diagnostics) {
  auto error = [&](std::string message) {
    diagnostics->Error(param.location, std::move(message), jail.name);
  };
  const ParamSpec* spec = FindParam(param.name);
  if (!spec) {
    std::string_view guess = ClosestParamName(param.name);
    diagnostics->Warning(
        param.location,
        fmt::format("unknown parameter: {} (jail(8) fails unless a loaded kernel "
                    "module provides it{})",
                    param.name, guess.empty() ? "" : fmt::format("; did you mean {}?", guess)),
        jail.name);
    return;
  }
  if (spec->flags & kReadOnly) {
    error(fmt::format("{}: read-only parameter, it cannot be set", param.name));
    return;
  }
  if (param.values.empty()) return;
  const std::string& last = param.values.back();
  switch (spec->type) {
    case ParamType::kBool:
      if (!IsBoolean(last))
        error(fmt::format("{}: unknown boolean value \"{}\"", param.name, last));
      break;
    case ParamType::kInt:
      if (!IsInteger(last)) error(fmt::format("{}: non-integer value \"{}\"", param.name, last));
      break;
    case ParamType::kJailSys:
      if (!IsJailSys(last))
        error(fmt::format("{}: unknown jailsys value \"{}\"", param.name, last));
      break;
    case ParamType::kIp4List:
    case ParamType::kIp6List: {
      bool v4 = spec->type == ParamType::kIp4List;
      // A lone "" or "-" is an empty list to libjail (lib/libjail/jail.c,
      // jailparam_import), not an address.
      if (IsEmptyAddressList(param.values)) break;
      for (const std::string& value : param.values) {
        if (!IsAddress(v4 ? AF_INET : AF_INET6, AddressPart(value))) {
          error(fmt::format("{}: not an IPv{} address: \"{}\"", param.name, v4 ? 4 : 6, value));
        }
      }
      break;
    }
    case ParamType::kList:
      if (param.name == "mount") {
        for (const std::string& line : param.values) {
          size_t fields = FieldCount(line);
          if (fields > 0 && fields < 3) error(fmt::format("mount: {}: missing information", line));
        }
      }
      break;
    case ParamType::kString:
      break;
  }
}

}  // namespace

void ValidateJail(const EvaluatedJail& jail, Diagnostics* diagnostics) {
  for (const EvaluatedParam& param : jail.params) ValidateParam(jail, param, diagnostics);
}

}  // namespace ljail::jailconf
