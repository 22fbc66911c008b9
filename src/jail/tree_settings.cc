#include "jail/tree_settings.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>

#include "core/error.h"
#include "core/spelling.h"
#include "core/strings.h"

namespace ljail::jail {
namespace {

constexpr size_t kMaxNameservers = 3;  // glibc's MAXNS
constexpr const char* kResolvedStub = "127.0.0.53";

std::vector<std::string> Nameservers(const std::string& resolv) {
  std::vector<std::string> out;
  for (const std::string& line : SplitLines(resolv)) {
    std::vector<std::string> w = Words(line);
    if (w.size() >= 2 && w[0] == "nameserver") out.push_back(w[1]);
  }
  return out;
}

bool ZoneNameWellFormed(const std::string& zone) {
  if (zone.empty() || zone.size() > 255) return false;
  for (const std::string& part : Split(zone, '/')) {
    if (part.empty() || part == "." || part == "..") return false;
    if (!(part[0] >= 'A' && part[0] <= 'Z')) return false;
    for (char c : part) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '+')
        return false;
    }
  }
  return true;
}

std::vector<std::string> ClosestZones(const std::vector<std::string>& zones,
                                      const std::string& typed) {
  std::vector<std::pair<size_t, std::string>> scored;
  for (const std::string& name : zones) {
    if (name.starts_with("posix/") || name.starts_with("right/") || !ZoneNameWellFormed(name))
      continue;
    std::string last = name.substr(name.rfind('/') + 1);
    std::string typed_last = typed.substr(typed.rfind('/') + 1);
    size_t d = std::min(EditDistance(ToLower(typed), ToLower(name)),
                        EditDistance(ToLower(typed_last), ToLower(last)) + 1);
    scored.emplace_back(d, name);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (const auto& [d, name] : scored) {
    if (out.size() == 4 || d > std::max<size_t>(2, typed.size() / 5)) break;
    out.push_back(name);
  }
  return out;
}

}  // namespace

std::string DnsMode::Text() const {
  switch (kind) {
    case Kind::kCopy:
      return "copy";
    case Kind::kNone:
      return "none";
    case Kind::kStatic:
      return "static:" + Join(servers, ",");
  }
  return "copy";
}

DnsMode ParseDnsMode(const std::string& text) {
  if (text == "copy") return {};
  if (text == "none") return {DnsMode::Kind::kNone, {}};
  const std::string prefix = "static:";
  if (!text.starts_with(prefix)) {
    ThrowUsage(
        fmt::format("--dns {}: give copy (the host's resolvers, refreshed at every start), "
                    "static:ADDR[,ADDR] or none (the tree's own file, untouched)",
                    text));
  }
  DnsMode mode{DnsMode::Kind::kStatic, Split(text.substr(prefix.size()), ',')};
  if (mode.servers.empty() || mode.servers.size() > kMaxNameservers) {
    ThrowUsage(fmt::format("--dns {}: give 1 to {} addresses (glibc reads no more)", text,
                           kMaxNameservers));
  }
  for (const std::string& a : mode.servers) {
    unsigned char buffer[16];
    if (::inet_pton(AF_INET, a.c_str(), buffer) != 1 &&
        ::inet_pton(AF_INET6, a.c_str(), buffer) != 1) {
      ThrowUsage(fmt::format("--dns {}: \"{}\" is not an IPv4 or IPv6 address", text, a));
    }
  }
  return mode;
}

std::string HostResolvConf(const host::Host& host) {
  std::string resolv = host.ReadFile("/etc/resolv.conf").value_or("");
  std::vector<std::string> servers = Nameservers(resolv);
  bool only_stub =
      !servers.empty() &&
      std::all_of(servers.begin(), servers.end(), [](const auto& s) { return s == kResolvedStub; });
  if (only_stub) {
    if (auto upstream = host.ReadFile("/run/systemd/resolve/resolv.conf")) {
      if (!Nameservers(*upstream).empty()) return *upstream;
    }
  }
  return resolv;
}

std::optional<std::string> ResolvConfFor(const DnsMode& mode, const std::string& host_resolv) {
  switch (mode.kind) {
    case DnsMode::Kind::kNone:
      return std::nullopt;
    case DnsMode::Kind::kCopy:
      return "# The host's resolvers, copied by ljail at every start (--dns copy).\n" + host_resolv;
    case DnsMode::Kind::kStatic: {
      std::string out = "# Written by ljail (--dns " + mode.Text() + ").\n";
      for (const std::string& s : mode.servers) out += "nameserver " + s + "\n";
      return out;
    }
  }
  return std::nullopt;
}

std::string HostTimezone(const host::Host& host) {
  if (auto link = host.ReadLink("/etc/localtime")) {
    size_t at = link->find("zoneinfo/");
    if (at != std::string::npos) return link->substr(at + 9);
  }
  for (const char* file : {"/var/db/zoneinfo", "/etc/timezone"}) {
    std::string zone = Trim(host.ReadFile(file).value_or(""));
    if (ZoneNameWellFormed(zone)) return zone;
  }
  return "Etc/UTC";
}

bool IsUtcZone(const std::string& zone) {
  return zone == "UTC" || zone == "Etc/UTC" || zone == "Etc/Universal" || zone == "UCT" ||
         zone == "Etc/Zulu" || zone == "Universal" || zone == "Zulu";
}

void ValidateTimezone(const host::Host& host, const std::string& zone,
                      const std::string& zoneinfo) {
  if (ZoneNameWellFormed(zone) && host.IsFile(zoneinfo + "/" + zone)) return;
  std::vector<std::string> closest = ClosestZones(host.FilesBelow(zoneinfo), zone);
  ThrowUsage(fmt::format(
      "--timezone {}: no such zone in {}{}; valid zones are the tz database names listed in "
      "{}/tzdata.zi and zone1970.tab, such as Asia/Shanghai, Europe/Berlin, America/New_York "
      "or Etc/UTC",
      zone, zoneinfo, closest.empty() ? "" : " (closest: " + Join(closest, ", ") + ")", zoneinfo));
}

void ValidateLocale(const std::string& locale) {
  if (locale == "C.UTF-8") return;
  auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
  auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  size_t us = locale.find('_');
  size_t dot = locale.find('.');
  bool ok = us != std::string::npos && (us == 2 || us == 3) && dot == us + 3 &&
            std::all_of(locale.begin(), locale.begin() + static_cast<long>(us), lower) &&
            upper(locale[us + 1]) && upper(locale[us + 2]);
  std::string rest = ok ? locale.substr(dot) : "";
  ok = ok && (rest == ".UTF-8" || (rest.starts_with(".UTF-8@") && rest.size() > 7));
  if (!ok) {
    ThrowUsage(
        fmt::format("--locale {}: give C.UTF-8 (the default) or language_COUNTRY.UTF-8 such as "
                    "en_US.UTF-8, zh_CN.UTF-8, de_DE.UTF-8 (with an optional @modifier)",
                    locale));
  }
}

std::string LocaleGenLine(const std::string& locale) { return locale + " UTF-8"; }

namespace {

constexpr size_t kLocaleFileLimit = size_t{1} << 20;

std::string SmallTreeFile(const TreeFs& tree, const std::string& path) {
  try {
    return tree.ReadFile(path, kLocaleFileLimit).value_or("");
  } catch (const Error&) {
    return "";  // a FIFO, a device, a huge file: not a locale setting
  }
}

// glibc's directory name of a locale: the codeset lower-cased, without
// punctuation ("zh_CN.UTF-8" -> "zh_CN.utf8").
std::string NormalizedLocale(const std::string& name) {
  size_t dot = name.find('.');
  if (dot == std::string::npos) return name;
  std::string codeset;
  for (char c : name.substr(dot + 1)) {
    if (std::isalnum(static_cast<unsigned char>(c)))
      codeset += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return name.substr(0, dot) + "." + codeset;
}

bool LocaleUsable(const TreeFs& tree, const std::string& locale) {
  bool well_formed = !locale.empty() && std::all_of(locale.begin(), locale.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '@' ||
           c == '-';
  });
  if (!well_formed) return false;
  std::optional<struct stat> dir = tree.Status("/usr/lib/locale/" + NormalizedLocale(locale));
  if (dir && S_ISDIR(dir->st_mode)) return true;
  if (!tree.Status("/usr/lib/locale/locale-archive")) return false;
  for (const std::string& line : Split(SmallTreeFile(tree, "/etc/locale.gen"), '\n')) {
    if (Trim(line) == LocaleGenLine(locale)) return true;
  }
  return false;
}

}  // namespace

std::string LoginLocale(const TreeFs& tree, const std::string& wanted) {
  // C, POSIX and C.UTF-8 say "no language": the tree's default wins.
  bool neutral = wanted.empty() || wanted == "C" || wanted == "POSIX" || wanted == "C.UTF-8" ||
                 wanted == "C.utf8";
  if (!neutral && LocaleUsable(tree, wanted)) return wanted;
  for (const std::string& line : Split(SmallTreeFile(tree, "/etc/default/locale"), '\n')) {
    std::string value = Trim(line);
    if (!value.starts_with("LANG=")) continue;
    value = value.substr(5);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    if (LocaleUsable(tree, value)) return value;
  }
  return "C.UTF-8";
}

}  // namespace ljail::jail
