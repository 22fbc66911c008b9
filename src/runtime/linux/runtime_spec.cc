#include "runtime/linux/runtime_spec.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "core/error.h"
#include "core/jail_spec.h"
#include "core/strings.h"
#include "jailconf/names.h"
#include "jailconf/param_table.h"
#include "runtime/linux/user_namespace.h"

namespace ljail::host::linux_ns {
namespace {

[[noreturn]] void Refuse(const jailconf::EvaluatedParam& p, const std::string& why) {
  ThrowUsage(fmt::format("{} line {}: {}: {}", p.location.file, p.location.line, p.name, why));
}

// The parameter table's Linux column, for the message that refuses the rest.
std::string HonouredParams() {
  std::vector<std::string> names;
  for (const jailconf::ParamSpec& spec : jailconf::AllParams()) {
    if (spec.on_linux == jailconf::OnLinux::kHonoured) names.emplace_back(spec.name);
    if (spec.on_linux == jailconf::OnLinux::kInheritOnly)
      names.push_back(std::string(spec.name) + "=inherit");
  }
  return Join(names, ", ");
}

// Refuses what the parameter table says the runtime cannot honour.
void CheckHonoured(const jailconf::EvaluatedParam& p, const std::string& name) {
  const jailconf::ParamSpec* spec = jailconf::FindParam(name);
  jailconf::OnLinux on_linux = spec ? spec->on_linux : jailconf::OnLinux::kRefused;
  if (on_linux == jailconf::OnLinux::kHonoured) return;
  if (on_linux == jailconf::OnLinux::kInheritOnly && p.values.size() == 1 &&
      p.values[0] == "inherit")
    return;
  std::string why = "the Linux runtime cannot honour this parameter";
  if (name.starts_with("ip4") || name.starts_with("ip6") || name == "interface") {
    why +=
        " (without vnet a jail shares the host's addresses; a vnet jail gets its own "
        "network: `vnet;`)";
  } else if (name.starts_with("exec.")) {
    why += " (commands at start and stop come with `ljail service`)";
  }
  Refuse(p, fmt::format("{}; it honours {}. Remove it from the file", why, HonouredParams()));
}

// $ljail_bridge and its address: a vnet jail linked to a host bridge.
std::optional<VnetLink> ReadVnetLink(const jailconf::EvaluatedJail& jail) {
  std::optional<std::string> bridge = jail.Variable("ljail_bridge");
  if (!bridge) return std::nullopt;
  std::optional<std::string> ip4 = jail.Variable("ljail_vnet_ip4");
  if (!ip4 || ip4->find('/') == std::string::npos) {
    ThrowUsage(fmt::format("{} line {}: {}: $ljail_bridge without $ljail_vnet_ip4 = ADDR/LEN",
                           jail.location.file, jail.location.line, jail.name));
  }
  ValidateInterface(*bridge);
  ParseIp4(*ip4);
  std::string gateway = jail.Variable("ljail_vnet_gateway").value_or("");
  if (!gateway.empty()) ParseIp4(gateway);
  return VnetLink{*bridge, *ip4, gateway};
}

std::string Single(const jailconf::EvaluatedParam& p) {
  if (p.values.size() != 1) Refuse(p, "expected one value");
  return p.values[0];
}

}  // namespace

RuntimeSpec MakeRuntimeSpec(const jailconf::EvaluatedJail& jail, const RealPath& real) {
  RuntimeSpec spec;
  spec.name = jail.name;
  spec.config_file = std::string(jail.location.file);
  bool persist = false;
  const jailconf::EvaluatedParam* mounts = nullptr;
  for (size_t i = 1; i < jail.params.size(); ++i) {  // [0] is the implied name
    const jailconf::EvaluatedParam& p = jail.params[i];
    std::string name = jailconf::WithoutNoPrefix(p.name);
    CheckHonoured(p, name);
    if (name == "path") {
      std::string value = Single(p);
      if (value.empty() || value[0] != '/' || value.find("..") != std::string::npos)
        Refuse(p, "expected an absolute directory without \"..\"");
      spec.path = NormalizeAbsolutePath(value, "path");
      if (spec.path == "/") Refuse(p, "expected an absolute directory other than /");
    } else if (name == "host.hostname") {
      spec.hostname = Single(p);
    } else if (name == "persist") {
      persist = jailconf::BoolValue(p.name, p.values);
    } else if (name == "mount") {
      mounts = &p;
    } else if (name == "allow.raw_sockets") {
      spec.raw_sockets = jailconf::BoolValue(p.name, p.values);
    } else if (name == "vnet") {
      std::string v = p.values.empty() ? "new" : Single(p);
      if (v == "new" || v == "1") {
        spec.vnet = true;
      } else if (v != "inherit" && v != "disable" && v != "0") {
        Refuse(p, "expected new, inherit or disable");
      }
    } else if (name == "stop.timeout") {
      std::string v = Single(p);
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), spec.stop_timeout);
      if (ec != std::errc() || end != v.data() + v.size() || spec.stop_timeout < 0)
        Refuse(p, "expected a number of seconds");
    }
    // exec.clean: entering always starts from a clean environment.
    // ip4/ip6 = inherit: without vnet the jail shares the host's stack.
  }
  if (spec.path.empty()) {
    ThrowUsage(fmt::format("{} line {}: {}: no path: the jail has no tree to run in",
                           jail.location.file, jail.location.line, jail.name));
  }
  if (!persist) {
    ThrowUsage(fmt::format(
        "{} line {}: {}: persist is not set; the Linux runtime runs no exec.start command, so "
        "the jail would end as it starts. Add `persist;`",
        jail.location.file, jail.location.line, jail.name));
  }
  if (spec.vnet) spec.link = ReadVnetLink(jail);
  const std::string where = fmt::format("{} line {}", jail.location.file, jail.location.line);
  spec.limits = ParseRctlVariable(jail.Variable(kRctlVariable).value_or(""), where);
  if (std::optional<std::string> userns = jail.Variable(kUsernsVariable)) {
    spec.userns_base = ParseUsernsBase(*userns, where);
    if (spec.raw_sockets && !spec.vnet) {
      ThrowUsage(fmt::format(
          "{}: {}: allow.raw_sockets with ${} needs vnet: root in a user namespace holds no "
          "capability on the host's network",
          where, jail.name, kUsernsVariable));
    }
  }
  if (mounts || spec.userns_base != 0) {
    try {
      spec.mounts = TranslateMounts(mounts ? mounts->values : std::vector<std::string>{}, spec.path,
                                    real, spec.userns_base);
    } catch (const Error& e) {
      throw e.WithContext(
          mounts ? fmt::format("{} line {}", mounts->location.file, mounts->location.line) : where);
    }
  }
  return spec;
}

}  // namespace ljail::host::linux_ns
