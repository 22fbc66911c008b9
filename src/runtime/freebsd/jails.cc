#include "runtime/freebsd/jails.h"

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/strings.h"

namespace ljail::host::freebsd {
namespace {

std::vector<std::string> Addresses(const nlohmann::json& field) {
  std::vector<std::string> out;
  if (field.is_string()) {
    for (const std::string& a : Split(field.get<std::string>(), ',')) {
      if (!a.empty() && a != "-") out.push_back(a);
    }
  } else if (field.is_array()) {
    for (const nlohmann::json& item : field) {
      if (item.is_string()) {
        out.push_back(item);
      } else if (item.is_object()) {
        for (const auto& [_, v] : item.items()) {
          if (v.is_string()) out.push_back(v);
        }
      }
    }
  }
  return out;
}

int Jid(const nlohmann::json& value) {
  if (value.is_number_integer()) return value.get<int>();
  if (value.is_string()) return std::stoi(value.get<std::string>());
  return 0;
}

}  // namespace

std::vector<RunningJail> ParseJlsJson(const std::string& text) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    ThrowFailure(std::string("jls --libxo json: unreadable output: ") + e.what());
  }
  std::vector<RunningJail> jails;
  const nlohmann::json& list = doc["jail-information"]["jail"];
  if (!list.is_array()) return jails;
  for (const nlohmann::json& j : list) {
    RunningJail r;
    r.jid = Jid(j.value("jid", nlohmann::json(0)));
    r.name = j.value("name", "");
    r.hostname = j.value("hostname", "");
    r.path = j.value("path", "");
    r.dying = j.value("state", "ACTIVE") == "DYING";
    for (const char* key : {"ipv4_addrs", "ip4.addr", "ipv4"}) {
      if (j.contains(key)) r.ip4 = Addresses(j[key]);
    }
    for (const char* key : {"ipv6_addrs", "ip6.addr", "ipv6"}) {
      if (j.contains(key)) r.ip6 = Addresses(j[key]);
    }
    jails.push_back(std::move(r));
  }
  return jails;
}

std::vector<RunningJail> RunningJails(const Host& host) {
  return ParseJlsJson(host.Must({"jls", "-v", "--libxo", "json"}).out);
}

Command ServiceJail(const std::string& verb, const std::string& jail) {
  return {"service", "jail", verb, jail};
}

}  // namespace ljail::host::freebsd
