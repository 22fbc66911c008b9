// ifconfig(8) for the interfaces a jail's lines use: cloned bridges and
// epairs (create, name, descr, up, inet, addm, deletem, destroy), an
// interface moved into a vnet jail and back (vnet, -vnet), and the show
// output that scripts grep (description:, member:). Sources: ifconfig(8),
// sbin/ifconfig/ifclone.c (a clone whose name the kernel chose is printed),
// ifconfig.c setifname (a renamed one is printed too), if_bridge(4),
// epair(4) (destroying one end destroys the pair).
//
// State: "interfaces", name -> {kind, up, description, inet, members,
// peer, vnet}; an interface in a jail's vnet (vnet = jid) is not seen from
// the host. Nothing here touches this machine's network.
#include <algorithm>
#include <iostream>

#include "sim.h"

using nlohmann::json;

namespace sim {
namespace {

json& Interfaces(State& s) {
  json& all = s.json()["interfaces"];
  if (all.is_null()) all = json::object();
  return all;
}

// The interface as the host sees it: absent when in a jail's vnet.
json* HostInterface(State& s, const std::string& name) {
  json& all = Interfaces(s);
  if (!all.contains(name) || all[name].contains("vnet")) return nullptr;
  return &all[name];
}

json NewInterface(const std::string& kind) {
  return {{"kind", kind},
          {"up", false},
          {"description", ""},
          {"inet", json::array()},
          {"members", json::array()}};
}

std::string Netmask(int prefix) {
  unsigned mask = prefix == 0 ? 0 : ~0u << (32 - prefix);
  char text[16];
  (void)std::snprintf(text, sizeof text, "0x%08x", mask);
  return text;
}

// "10.0.0.1/24" or "10.0.0.1" + "netmask 255.255.255.0" → "10.0.0.1/24".
std::string WithPrefix(const std::string& address, const std::string& netmask) {
  if (address.find('/') != std::string::npos || netmask.empty()) {
    return address.find('/') == std::string::npos ? address + "/32" : address;
  }
  int bits = 0;
  for (const std::string& octet : Split(netmask, '.')) {
    unsigned v = static_cast<unsigned>(std::stoul(octet.empty() ? "0" : octet));
    for (; v & 0x80u; v = (v << 1) & 0xffu) ++bits;
  }
  return address + "/" + std::to_string(bits);
}

void Show(const std::string& name, const json& i) {
  std::string flags = i["up"].get<bool>() ? "8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST>"
                                          : "8802<BROADCAST,SIMPLEX,MULTICAST>";
  if (i["kind"] == "loopback") flags = "8049<UP,LOOPBACK,RUNNING,MULTICAST>";
  std::cout << name << ": flags=" << flags << " metric 0 mtu "
            << (i["kind"] == "loopback" ? "16384" : "1500") << "\n";
  if (!i["description"].get<std::string>().empty())
    std::cout << "\tdescription: " << i["description"].get<std::string>() << "\n";
  for (const std::string a : i["inet"]) {
    size_t slash = a.find('/');
    std::cout << "\tinet " << a.substr(0, slash) << " netmask "
              << Netmask(std::stoi(a.substr(slash + 1))) << "\n";
  }
  for (const std::string m : i["members"])
    std::cout << "\tmember: " << m << " flags=143<LEARNING,DISCOVER,AUTOEDGE,AUTOPTP>\n";
  if (i["kind"] == "bridge") std::cout << "\tgroups: bridge\n";
  if (i["kind"] == "epair") std::cout << "\tgroups: epair\n";
}

// Removes `name` from every bridge's member list.
void LeaveBridges(State& s, const std::string& name) {
  for (auto& [other, i] : Interfaces(s).items()) {
    json& m = i["members"];
    m.erase(std::remove(m.begin(), m.end(), json(name)), m.end());
  }
}

// A clone request: "bridge" or "bridgeN", "epair" or "epairN". Returns the
// name of the new interface (epairNa for a pair).
std::string Create(State& s, const std::string& request) {
  json& all = Interfaces(s);
  std::string kind = request.rfind("bridge", 0) == 0  ? "bridge"
                     : request.rfind("epair", 0) == 0 ? "epair"
                                                      : "";
  std::string unit = request.substr(kind.size());
  if (kind.empty() || unit.find_first_not_of("0123456789") != std::string::npos)
    Fail(1, "ifconfig: SIOCIFCREATE2 (" + request + "): Invalid argument");
  auto taken = [&](const std::string& n) {
    return kind == "epair" ? all.contains(n + "a") || all.contains(n + "b") : all.contains(n);
  };
  if (unit.empty()) {
    int n = 0;
    while (taken(kind + std::to_string(n))) ++n;
    unit = std::to_string(n);
  } else if (taken(request)) {
    Fail(1, "ifconfig: SIOCIFCREATE2 (" + request + "): File exists");
  }
  std::string base = kind + unit;
  if (kind == "bridge") {
    all[base] = NewInterface("bridge");
    return base;
  }
  all[base + "a"] = NewInterface("epair");
  all[base + "a"]["peer"] = base + "b";
  all[base + "b"] = NewInterface("epair");
  all[base + "b"]["peer"] = base + "a";
  return base + "a";
}

int JailId(State& s, const std::string& name_or_jid) {
  for (const json& j : s.json()["jails"]) {
    if (j["name"] == name_or_jid || std::to_string(j["jid"].get<int>()) == name_or_jid)
      return j["jid"];
  }
  Fail(1, "ifconfig: jail \"" + name_or_jid + "\" not found");
}

}  // namespace

void ReturnVnetInterfaces(State& s, int jid) {
  for (auto& [name, i] : Interfaces(s).items()) {
    if (i.contains("vnet") && i["vnet"] == jid) i.erase("vnet");
  }
}

int Ifconfig(State& s, const std::vector<std::string>& args) {
  if (args.empty()) {
    for (auto& [name, i] : Interfaces(s).items())
      if (!i.contains("vnet")) Show(name, i);
    return 0;
  }
  std::string name = args[0];
  if (args.size() == 3 && args[1] == "-vnet") {
    // The host takes an interface back from a jail's vnet, by its name there.
    int jid = JailId(s, args[2]);
    json& all = Interfaces(s);
    if (!all.contains(name) || all[name].value("vnet", -1) != jid)
      Fail(1, "ifconfig: SIOCSIFRVNET: No such file or directory");
    all[name].erase("vnet");
    return 0;
  }
  size_t at = 1;
  bool print_name = false;
  if (at < args.size() && args[at] == "create") {
    std::string made = Create(s, name);
    print_name = made != name;
    name = made;
    ++at;
  }
  json* i = HostInterface(s, name);
  if (!i) Fail(1, "ifconfig: interface " + name + " does not exist");
  if (at == args.size() && !print_name) {
    Show(name, *i);
    return 0;
  }
  auto value = [&](const std::string& word) {
    if (at + 1 >= args.size()) Fail(1, "ifconfig: " + word + ": missing argument");
    return args[++at];
  };
  for (; at < args.size(); ++at) {
    const std::string& word = args[at];
    if (word == "up" || word == "down") {
      (*i)["up"] = word == "up";
    } else if (word == "descr" || word == "description") {
      (*i)["description"] = value(word);
    } else if (word == "name") {
      std::string to = value(word);
      if (Interfaces(s).contains(to))
        Fail(1, "ifconfig: ioctl SIOCSIFNAME (set name): File exists");
      Interfaces(s)[to] = *i;
      Interfaces(s).erase(name);
      name = to;
      i = &Interfaces(s)[name];
      print_name = true;
    } else if (word == "inet") {
      std::string address = value(word);
      std::string netmask;
      if (at + 2 < args.size() && args[at + 1] == "netmask") {
        netmask = args[at + 2];
        at += 2;
      }
      std::string entry = WithPrefix(address, netmask);
      json& inet = (*i)["inet"];
      bool alias = at + 1 < args.size() && args[at + 1] == "alias";
      bool unalias = at + 1 < args.size() && args[at + 1] == "-alias";
      if (alias || unalias) ++at;
      auto same = [&](const json& a) {
        return a.get<std::string>().substr(0, a.get<std::string>().find('/')) ==
               entry.substr(0, entry.find('/'));
      };
      if (unalias) {
        auto found = std::find_if(inet.begin(), inet.end(), same);
        if (found == inet.end())
          Fail(1, "ifconfig: ioctl (SIOCDIFADDR): Can't assign requested address");
        inet.erase(found);
      } else if (alias || inet.empty()) {
        if (std::none_of(inet.begin(), inet.end(), same)) inet.push_back(entry);
      } else {
        inet[0] = entry;  // without alias, the first address is replaced
      }
    } else if (word == "addm" || word == "deletem") {
      std::string member = value(word);
      if ((*i)["kind"] != "bridge")
        Fail(1, "ifconfig: " + std::string(word == "addm" ? "BRDGADD " : "BRDGDEL ") + member +
                    ": Invalid argument");
      if (!HostInterface(s, member))
        Fail(1, "ifconfig: " + std::string(word == "addm" ? "BRDGADD " : "BRDGDEL ") + member +
                    ": No such file or directory");
      json& members = (*i)["members"];
      bool in = std::find(members.begin(), members.end(), json(member)) != members.end();
      if (word == "addm") {
        for (auto& [other, j] : Interfaces(s).items()) {
          const json& m = j["members"];
          if (std::find(m.begin(), m.end(), json(member)) != m.end())
            Fail(1, "ifconfig: BRDGADD " + member + ": File exists");
        }
        members.push_back(member);
      } else {
        if (!in) Fail(1, "ifconfig: BRDGDEL " + member + ": No such file or directory");
        members.erase(std::remove(members.begin(), members.end(), json(member)), members.end());
      }
    } else if (word == "destroy") {
      if ((*i)["kind"] == "loopback")
        Fail(1, "ifconfig: SIOCIFDESTROY: Invalid argument");  // lo0 is not a clone here
      std::string peer = i->value("peer", "");
      LeaveBridges(s, name);
      Interfaces(s).erase(name);
      if (!peer.empty()) {
        LeaveBridges(s, peer);
        Interfaces(s).erase(peer);
      }
      return 0;
    } else if (word == "vnet") {
      LeaveBridges(s, name);
      (*i)["vnet"] = JailId(s, value(word));
    } else {
      Fail(1, "ifconfig: " + name + ": '" + word + "' is not simulated");
    }
  }
  if (print_name) std::cout << name << "\n";
  return 0;
}

}  // namespace sim
