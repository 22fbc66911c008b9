#include "rootfs/manifest.h"

#include <nlohmann/json.hpp>

#include "core/strings.h"

namespace ljail::rootfs {
namespace {

// Stanzas of a dpkg status file: "Field: value" lines, blank-line separated.
template <typename Fn>
void ForEachStanza(const std::string& status, Fn&& fn) {
  std::map<std::string, std::string> stanza;
  auto flush = [&] {
    if (!stanza.empty()) fn(stanza);
    stanza.clear();
  };
  for (const std::string& line : Split(status, '\n')) {
    if (line.empty()) {
      flush();
      continue;
    }
    if (line[0] == ' ' || line[0] == '\t') continue;  // continuation lines
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    stanza[line.substr(0, colon)] = Trim(line.substr(colon + 1));
  }
  flush();
}

}  // namespace

std::vector<Package> ReadDpkgStatus(const std::string& status) {
  std::vector<Package> out;
  ForEachStanza(status, [&](const std::map<std::string, std::string>& s) {
    auto st = s.find("Status");
    if (st == s.end() || st->second != "install ok installed") return;
    out.push_back(
        {s.count("Package") ? s.at("Package") : "", s.count("Version") ? s.at("Version") : ""});
  });
  return out;
}

std::vector<std::string> UnconfiguredPackages(const std::string& status) {
  std::vector<std::string> out;
  ForEachStanza(status, [&](const std::map<std::string, std::string>& s) {
    auto st = s.find("Status");
    if (st == s.end()) return;
    std::vector<std::string> words = Words(st->second);
    if (words.size() == 3 && words[0] == "install" && words[2] != "installed") {
      out.push_back(s.count("Package") ? s.at("Package") : "?");
    }
  });
  return out;
}

std::map<std::string, std::string> ParseOsRelease(const std::string& text) {
  std::map<std::string, std::string> out;
  for (const std::string& line : SplitLines(text)) {
    size_t eq = line.find('=');
    if (eq == std::string::npos || line[0] == '#') continue;
    std::string value = line.substr(eq + 1);
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    out[line.substr(0, eq)] = value;
  }
  return out;
}

std::map<std::string, std::string> ReadOsRelease(const TreeFs& tree) {
  std::optional<std::string> text = tree.ReadFile("/etc/os-release");
  if (!text) text = tree.ReadFile("/usr/lib/os-release");
  return ParseOsRelease(text.value_or(""));
}

std::string ManifestToJson(const Manifest& m) {
  nlohmann::ordered_json packages = nlohmann::ordered_json::object();
  for (const Package& p : m.packages) packages[p.name] = p.version;
  nlohmann::ordered_json doc = {
      {"name", m.name},
      {"key",
       {{"distro", m.key.distro},
        {"suite", m.key.suite},
        {"arch", m.key.arch},
        {"variant", m.key.variant},
        {"packages", m.key.packages},
        {"mirror", m.key.mirror}}},
      {"source", m.source},
      {"ljail_version", m.ljail_version},
      {"created", m.created},
      {"os", {{"pretty_name", m.pretty_name}, {"codename", m.codename}}},
      {"installed", packages},
  };
  return doc.dump(2) + "\n";
}

std::optional<Manifest> ManifestFromJson(const std::string& text) {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("key")) return std::nullopt;
  Manifest m;
  m.name = doc.value("name", "");
  const nlohmann::json& k = doc["key"];
  m.key.distro = k.value("distro", "");
  m.key.suite = k.value("suite", "");
  m.key.arch = k.value("arch", "");
  m.key.variant = k.value("variant", "");
  m.key.mirror = k.value("mirror", "");
  if (k.contains("packages")) m.key.packages = k["packages"].get<std::vector<std::string>>();
  m.source = doc.value("source", "");
  m.ljail_version = doc.value("ljail_version", "");
  m.created = doc.value("created", "");
  if (doc.contains("os")) {
    m.pretty_name = doc["os"].value("pretty_name", "");
    m.codename = doc["os"].value("codename", "");
  }
  if (doc.contains("installed")) {
    for (const auto& [name, version] : doc["installed"].items()) {
      m.packages.push_back({name, version.get<std::string>()});
    }
  }
  return m;
}

}  // namespace ljail::rootfs
