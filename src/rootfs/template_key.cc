#include "rootfs/template_key.h"

#include <fmt/format.h>

#include <algorithm>
#include <regex>

#include "core/error.h"
#include "core/spelling.h"

namespace ljail::rootfs {
namespace {

// FNV-1a over the canonical key: short, stable, not security-relevant (the
// name only has to differ between different keys).
std::string ShortHash(const std::string& text) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return fmt::format("{:08x}", static_cast<uint32_t>(h ^ (h >> 32)));
}

}  // namespace

const std::vector<SuiteInfo>& KnownSuites() {
  static const std::vector<SuiteInfo> suites = {
      {"debian", "bullseye", false}, {"debian", "bookworm", true}, {"debian", "trixie", true},
      {"debian", "forky", true},     {"debian", "sid", true},      {"debian", "oldstable", true},
      {"debian", "stable", true},    {"debian", "testing", true},  {"debian", "unstable", true},
      {"ubuntu", "focal", false},    {"ubuntu", "jammy", true},    {"ubuntu", "noble", true},
  };
  return suites;
}

const SuiteInfo& FindSuite(const std::string& distro, const std::string& suite) {
  std::string known;
  bool distro_known = false;
  for (const SuiteInfo& s : KnownSuites()) {
    if (s.distro != distro) continue;
    distro_known = true;
    if (s.suite == suite) return s;
    known += std::string(known.empty() ? "" : ", ") + s.suite;
  }
  if (!distro_known) {
    ThrowUsage(fmt::format("distribution \"{}\": expected debian or ubuntu", distro));
  }
  std::string guess;
  for (const SuiteInfo& s : KnownSuites()) {
    if (s.distro == distro && CloseEnough(suite, s.suite)) guess = s.suite;
  }
  ThrowUsage(fmt::format("{} suite \"{}\"{}: known suites are {}", distro, suite,
                         guess.empty() ? "" : fmt::format(" (did you mean {}?)", guess), known));
}

std::pair<std::string, std::string> SplitDistroSuite(const std::string& text) {
  size_t colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    ThrowUsage(
        fmt::format("\"{}\": expected DISTRO:SUITE, e.g. debian:bookworm or ubuntu:noble", text));
  }
  return {text.substr(0, colon), text.substr(colon + 1)};
}

TemplateKey MakeTemplateKey(const std::string& distro_suite, const std::string& arch,
                            const std::string& variant, const std::vector<std::string>& packages,
                            const std::string& mirror) {
  auto [distro, suite] = SplitDistroSuite(distro_suite);
  FindSuite(distro, suite);
  TemplateKey key;
  key.distro = distro;
  key.suite = suite;
  if (arch != "amd64" && arch != "arm64") {
    ThrowUsage(fmt::format("--arch \"{}\": expected amd64 or arm64 (Debian's names)", arch));
  }
  key.arch = arch;
  if (variant != "minbase" && variant != "buildd" && variant != "default") {
    ThrowUsage(fmt::format("--variant \"{}\": expected minbase, buildd or default", variant));
  }
  key.variant = variant;
  static const std::regex kPackage("[a-z0-9][a-z0-9+.-]+");
  for (const std::string& p : packages) {
    if (!std::regex_match(p, kPackage)) {
      ThrowUsage(fmt::format("--include: \"{}\" is not a Debian package name", p));
    }
    key.packages.push_back(p);
  }
  std::sort(key.packages.begin(), key.packages.end());
  key.packages.erase(std::unique(key.packages.begin(), key.packages.end()), key.packages.end());
  if (!mirror.starts_with("tarball:") &&
      !std::regex_match(mirror, std::regex("(https?|file)://[^\\s\"',]+"))) {
    ThrowUsage(fmt::format("--mirror \"{}\": expected an http(s) or file URL", mirror));
  }
  key.mirror = mirror;
  return key;
}

std::string TemplateKey::Canonical() const {
  std::string out =
      fmt::format("distro={}\nsuite={}\narch={}\nvariant={}\nmirror={}\npackages=", distro, suite,
                  arch, variant, mirror);
  for (size_t i = 0; i < packages.size(); ++i) out += (i ? "," : "") + packages[i];
  return out + "\n";
}

std::string TemplateKey::Name(const std::string& default_mirror) const {
  std::string name = fmt::format("{}-{}-{}-{}", distro, suite, arch, variant);
  if (!packages.empty() || mirror != default_mirror) name += "-" + ShortHash(Canonical());
  return name;
}

}  // namespace ljail::rootfs
