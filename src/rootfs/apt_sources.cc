#include "rootfs/apt_sources.h"

#include <algorithm>

#include "core/strings.h"
#include "rootfs/template_key.h"

namespace ljail::rootfs {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool IsReleaseSuite(const std::string& distro, const std::string& suite) {
  const auto& known = KnownSuites();
  return std::any_of(known.begin(), known.end(),
                     [&](const SuiteInfo& s) { return distro == s.distro && suite == s.suite; });
}

}  // namespace

std::vector<AptSource> ParseOneLineSources(const std::string& text) {
  std::vector<AptSource> out;
  for (const std::string& raw : SplitLines(text)) {
    std::string line = Trim(raw.substr(0, raw.find('#')));
    std::vector<std::string> w = Words(line);
    if (w.size() < 3 || w[0] != "deb") continue;
    size_t i = 1;
    if (w[i].starts_with("[")) {  // [arch=amd64 signed-by=...]
      while (i < w.size() && !w[i].ends_with("]")) ++i;
      ++i;
    }
    if (i + 1 >= w.size()) continue;
    out.push_back({w[i], {w[i + 1]}});
  }
  return out;
}

std::vector<AptSource> ParseDeb822Sources(const std::string& text) {
  std::vector<AptSource> out;
  std::vector<std::string> types, uris, suites;
  bool enabled = true;
  auto flush = [&] {
    if (enabled && std::find(types.begin(), types.end(), "deb") != types.end()) {
      for (const std::string& u : uris) out.push_back({u, suites});
    }
    types.clear();
    uris.clear();
    suites.clear();
    enabled = true;
  };
  std::vector<std::string>* current = nullptr;
  for (const std::string& raw : Split(text, '\n')) {
    if (Trim(raw).empty()) {
      flush();
      current = nullptr;
      continue;
    }
    if (raw[0] == '#') continue;
    if (raw[0] == ' ' || raw[0] == '\t') {  // a continuation line
      if (current) {
        for (const std::string& w : Words(raw)) current->push_back(w);
      }
      continue;
    }
    size_t colon = raw.find(':');
    if (colon == std::string::npos) continue;
    std::string field = Lower(Trim(raw.substr(0, colon)));
    std::vector<std::string> values = Words(raw.substr(colon + 1));
    current = field == "types"    ? &types
              : field == "uris"   ? &uris
              : field == "suites" ? &suites
                                  : nullptr;
    if (current) current->insert(current->end(), values.begin(), values.end());
    if (field == "enabled") enabled = values.empty() || Lower(values[0]) != "no";
  }
  flush();
  return out;
}

std::string ArchiveFor(const std::vector<AptSource>& sources, const std::string& distro) {
  for (const AptSource& s : sources) {
    for (const std::string& suite : s.suites) {
      if (IsReleaseSuite(distro, suite)) {
        std::string uri = s.uri;
        while (uri.size() > 1 && uri.back() == '/') uri.pop_back();
        return uri;
      }
    }
  }
  return "";
}

std::string HostAptArchive(const host::Host& host, const std::string& distro) {
  std::vector<AptSource> sources =
      ParseOneLineSources(host.ReadFile("/etc/apt/sources.list").value_or(""));
  for (const std::string& f : host.ListDirectory("/etc/apt/sources.list.d")) {
    std::string text = host.ReadFile("/etc/apt/sources.list.d/" + f).value_or("");
    std::vector<AptSource> more;
    if (f.ends_with(".list")) more = ParseOneLineSources(text);
    if (f.ends_with(".sources")) more = ParseDeb822Sources(text);
    sources.insert(sources.end(), more.begin(), more.end());
  }
  return ArchiveFor(sources, distro);
}

}  // namespace ljail::rootfs
