#include "runtime/linux/vnet_link.h"

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "core/strings.h"

namespace ljail::host::linux_ns {
namespace {

// The ifalias ljail gives a bridge it made: the mark that lets it remove
// that bridge, and never one the administrator made.
constexpr const char* kBridgeMark = "made by ljail for vnet jails";

std::string SysNet(const std::string& name, const std::string& file) {
  return "/sys/class/net/" + name + "/" + file;
}

}  // namespace

std::string HostEndName(const std::string& keeper_pid) { return "ljv" + keeper_pid; }

std::vector<Command> LinkCommands(const VnetLink& link, const std::string& keeper_pid,
                                  bool create_bridge) {
  std::vector<Command> out;
  if (create_bridge) {
    out.push_back({"ip", "link", "add", "name", link.bridge, "type", "bridge"});
    out.push_back({"ip", "link", "set", "dev", link.bridge, "alias", kBridgeMark});
    if (!link.gateway.empty()) {
      std::string len = link.ip4.substr(link.ip4.find('/'));
      out.push_back({"ip", "addr", "add", link.gateway + len, "dev", link.bridge});
    }
    out.push_back({"ip", "link", "set", "dev", link.bridge, "up"});
  }
  const std::string& pid = keeper_pid;
  std::string host_end = HostEndName(keeper_pid);
  out.push_back({"ip", "link", "add", "name", host_end, "type", "veth", "peer", "name", "eth0",
                 "netns", pid});
  out.push_back({"ip", "link", "set", "dev", host_end, "master", link.bridge, "up"});
  std::string netns = "--net=/proc/" + pid + "/ns/net";
  out.push_back({"nsenter", netns, "ip", "addr", "add", link.ip4, "dev", "eth0"});
  out.push_back({"nsenter", netns, "ip", "link", "set", "dev", "eth0", "up"});
  if (!link.gateway.empty())
    out.push_back({"nsenter", netns, "ip", "route", "add", "default", "via", link.gateway});
  return out;
}

void LinkUp(const Host& host, const VnetLink& link, pid_t keeper) {
  bool exists = std::filesystem::exists("/sys/class/net/" + link.bridge);
  if (exists && !std::filesystem::exists(SysNet(link.bridge, "bridge")))
    ThrowFailure(link.bridge + " exists on the host and is not a bridge");
  for (const Command& c : LinkCommands(link, std::to_string(keeper), !exists)) host.Must(c);
}

void RemoveBridgeIfUnused(const Host& host, const std::string& bridge) {
  std::ifstream alias(SysNet(bridge, "ifalias"));
  std::string mark;
  std::getline(alias, mark);
  if (Trim(mark) != kBridgeMark) return;
  std::error_code ec;
  if (!std::filesystem::is_empty(SysNet(bridge, "brif"), ec) || ec) return;
  host.Run({"ip", "link", "del", "dev", bridge});
}

}  // namespace ljail::host::linux_ns
