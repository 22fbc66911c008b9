#include "jail/settable.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"
#include "core/jail_spec.h"
#include "core/resource_limits.h"
#include "core/spelling.h"
#include "core/strings.h"
#include "jail/tree_settings.h"
#include "jailconf/param_table.h"
#include "jailconf/writer.h"

namespace ljail::jail {
namespace {

using jailconf::ConfValue;
using jailconf::Literals;

std::string Names() {
  std::vector<std::string> names;
  for (const SettableParam& p : SettableParams()) names.push_back(p.name);
  return Join(names, ", ");
}

std::string Boolean(const std::string& text, const std::string& name) {
  std::string v = ToLower(text);
  if (v == "1" || v == "true" || v == "yes" || v == "on") return "true";
  if (v == "0" || v == "false" || v == "no" || v == "off") return "false";
  ThrowUsage(fmt::format("{}={}: give true or false", name, text));
}

}  // namespace

const std::vector<SettableParam>& SettableParams() {
  static const std::vector<SettableParam> kParams = {
      // The jail parameters: kSettable rows of the parameter table, whose
      // Linux column says which a Linux host has.
      {"ip6", "inherit|disable",
       "the jail's IPv6: the host's (inherit) or none (Linux programs then get errno 93)"},
      {"ip4", "inherit", "share the host's IPv4 addresses (drops ip4.addr)"},
      {"ip4.addr", "ADDR[/LEN][,ADDR...]", "the jail's own IPv4 addresses"},
      {"allow.raw_sockets", "true|false",
       "raw sockets for the jail's root (ping as root; users need a setuid ping)"},
      // ljail's own variables: kept in the file, applied to a running jail.
      {"dns", "copy|static:ADDR[,ADDR]|none",
       "how the Linux tree's /etc/resolv.conf is kept ($ljail_dns)"},
      {"memoryuse", "BYTES[K|M|G|T]|none",
       "the jail's resident memory (rctl memoryuse; Linux: the cgroup's memory limit)"},
      {"maxproc", "N|none",
       "the jail's processes (rctl maxproc; Linux: pids.max, which counts threads too)"},
      {"pcpu", "PERCENT|none",
       "the jail's CPU, in percent of one CPU (rctl pcpu; Linux: the cgroup's CPU quota)"},
  };
  return kParams;
}

Setting ParseSetting(const std::string& text, const OsConfEdits& os) {
  size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    ThrowUsage(fmt::format("set: \"{}\": give PARAM=VALUE ({})", text, Names()));
  std::string name = text.substr(0, eq), value = text.substr(eq + 1);
  const auto& params = SettableParams();
  auto it = std::find_if(params.begin(), params.end(),
                         [&](const SettableParam& p) { return p.name == name; });
  if (it == params.end()) {
    std::string hint;
    for (const SettableParam& p : params) {
      if (CloseEnough(name, p.name)) hint = fmt::format(" (did you mean {}?)", p.name);
    }
    ThrowUsage(
        fmt::format("set: {} cannot be set with ljail{}; settable: {}. Other jail(8) "
                    "parameters: edit the jail's file",
                    name, hint, Names()));
  }
  // A Linux jail shares the host's stack or has a vnet of its own: the
  // table's parameters it does not honour with every value are FreeBSD's.
  const jailconf::ParamSpec* spec = jailconf::FindParam(name);
  if (spec && spec->on_linux != jailconf::OnLinux::kHonoured && !os.JailsHaveAddresses()) {
    ThrowUsage(fmt::format(
        "set: {}: on a Linux host a jail shares the host's addresses or has its own network "
        "(vnet); there is no {} to set",
        name, name));
  }
  Setting s{&*it, value};
  if (name == "ip6") {
    if (value != "inherit" && value != "disable")
      ThrowUsage(fmt::format("set: ip6={}: give inherit or disable", value));
  } else if (name == "ip4") {
    if (value != "inherit") ThrowUsage("set: ip4=inherit is the one value (addresses: ip4.addr=)");
  } else if (name == "ip4.addr") {
    std::vector<std::string> addresses;
    for (const std::string& a : Split(value, ',')) addresses.push_back(ParseIp4(a));
    s.value = Join(addresses, ",");
  } else if (name == "allow.raw_sockets") {
    s.value = Boolean(value, name);
  } else if (name == "dns") {
    s.value = ParseDnsMode(value).Text();
  } else {
    ResourceLimits scratch;
    try {
      s.value = SetLimit(scratch, name, value);
    } catch (const Error& e) {
      throw e.WithContext("set");
    }
  }
  return s;
}

void ApplySetting(jailconf::ConfigDocument& doc, JailRecord& record, const Setting& s,
                  const OsConfEdits& os) {
  const std::string& name = s.param->name;
  const std::string& jail = record.name;
  if (name == "ip6") {
    doc.RemoveParam(jail, "ip6.addr");
    doc.SetParam(jail, "ip6", Literals({s.value}));
  } else if (name == "ip4") {
    doc.RemoveParam(jail, "ip4.addr");
    doc.RemoveParam(jail, "interface");
    doc.SetParam(jail, "ip4", Literals({"inherit"}));
  } else if (name == "ip4.addr") {
    doc.RemoveParam(jail, "ip4");
    doc.SetParam(jail, "ip4.addr", Literals(Split(s.value, ',')));
  } else if (name == "allow.raw_sockets") {
    if (s.value == "true") {
      doc.SetParam(jail, "allow.raw_sockets", {});
    } else {
      doc.RemoveParam(jail, "allow.raw_sockets");
    }
  } else if (name == "dns") {
    doc.SetVariable(jail, "ljail_dns", {ConfValue::Literal(s.value)});
  } else {
    SetLimit(record.limits, name, s.value);
    // Kept when empty: the exec lines name ${ljail_rctl}, and jail(8)
    // refuses a file that uses an undefined variable.
    doc.SetVariable(jail, kRctlVariable, {ConfValue::Literal(FormatRctlVariable(record.limits))});
    os.KeepLimits(doc, jail);
  }
}

bool NeedsRestart(const std::vector<Setting>& settings) {
  return std::any_of(settings.begin(), settings.end(), [](const Setting& s) {
    return jailconf::FindParam(s.param->name) != nullptr;
  });
}

}  // namespace ljail::jail
