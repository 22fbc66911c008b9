#include "host/settings.h"

#include <fmt/format.h>

#include <regex>

#include "core/error.h"
#include "core/spelling.h"
#include "jailconf/evaluator.h"
#include "jailconf/loader.h"
#include "jailconf/writer.h"

namespace ljail {
namespace {

struct Key {
  const char* name;
  std::string Settings::*field;
  const char* comment;
};

const std::vector<Key>& Keys() {
  static const std::vector<Key> keys = {
      {"zfs_root", &Settings::zfs_root,
       "ZFS dataset for media/, templates/ and containers/ (\"\" = plain directories)"},
      {"jails_dir", &Settings::jails_dir, "where jails live: the mountpoint of zfs_root"},
      {"release", &Settings::release, "FreeBSD release for new jails (\"\" = the host's)"},
      {"arch", &Settings::arch, "FreeBSD architecture: amd64 or arm64"},
      {"freebsd_mirror", &Settings::freebsd_mirror, "base.txz and MANIFEST come from here"},
      {"freebsd_pkg_mirror", &Settings::freebsd_pkg_mirror,
       "pkgbase repositories (FreeBSD-base) come from here"},
      {"debian_mirror", &Settings::debian_mirror, "Debian archive for templates"},
      {"ubuntu_mirror", &Settings::ubuntu_mirror, "Ubuntu archive for templates"},
  };
  return keys;
}

bool IsUrl(const std::string& url) {
  return std::regex_match(url, std::regex("(https?|ftp|file)://[^\\s\"]+"));
}

// pkg.conf(5) repository URLs: pkg+ asks pkg for an SRV mirror lookup.
bool IsPkgUrl(const std::string& url) {
  return std::regex_match(url, std::regex("(pkg\\+)?(https?|file)://[^\\s\"]+"));
}

}  // namespace

bool IsReleaseName(const std::string& release) {
  return std::regex_match(
      release, std::regex("[0-9]{1,2}\\.[0-9]-(RELEASE|BETA[0-9]+|RC[0-9]+|ALPHA[0-9]+)"));
}

bool IsDatasetName(const std::string& name) {
  return std::regex_match(name, std::regex("[A-Za-z0-9_.:-]+(/[A-Za-z0-9_.:-]+)*"));
}

void ValidateSettings(const Settings& s) {
  if (!s.zfs_root.empty() && !IsDatasetName(s.zfs_root)) {
    ThrowUsage(fmt::format("zfs_root \"{}\": not a ZFS dataset name (pool/name, e.g. zroot/jails)",
                           s.zfs_root));
  }
  if (s.jails_dir.empty() || s.jails_dir[0] != '/' || s.jails_dir == "/" ||
      s.jails_dir.find("/../") != std::string::npos || s.jails_dir.ends_with("/..")) {
    ThrowUsage(
        fmt::format("jails_dir \"{}\": expected an absolute directory such as "
                    "/usr/local/jails",
                    s.jails_dir));
  }
  if (!s.release.empty() && !IsReleaseName(s.release)) {
    ThrowUsage(
        fmt::format("release \"{}\": expected a release name such as 14.3-RELEASE", s.release));
  }
  if (s.arch != "amd64" && s.arch != "arm64") {
    ThrowUsage(fmt::format("arch \"{}\": expected amd64 or arm64", s.arch));
  }
  for (const auto& [key, url] : {std::pair{"freebsd_mirror", &s.freebsd_mirror},
                                 std::pair{"debian_mirror", &s.debian_mirror},
                                 std::pair{"ubuntu_mirror", &s.ubuntu_mirror}}) {
    if (!IsUrl(*url))
      ThrowUsage(fmt::format("{} \"{}\": expected an http(s), ftp or file URL", key, *url));
  }
  if (!IsPkgUrl(s.freebsd_pkg_mirror)) {
    ThrowUsage(fmt::format(
        "freebsd_pkg_mirror \"{}\": expected a pkg repository URL (pkg+https://, https://, "
        "file://)",
        s.freebsd_pkg_mirror));
  }
}

Settings LoadSettings(const RootFs& root, bool* found, const std::string& path,
                      const Settings& defaults) {
  Settings settings = defaults;
  jailconf::Diagnostics diagnostics;
  jailconf::LoadedConfig loaded = jailconf::LoadConfigFile(path, root, &diagnostics);
  if (found) *found = !loaded.files.empty();
  if (loaded.files.empty()) return settings;  // no file: defaults
  if (diagnostics.HasErrors()) ThrowUsage(diagnostics.ToString() + "in the settings file");
  for (const jailconf::Section& section : loaded.sections) {
    if (section.name != "*") {
      ThrowUsage(fmt::format("{} line {}: the settings file holds settings, not jail \"{}\"",
                             section.location.file, section.location.line, section.name));
    }
  }
  // Evaluate the top-level statements as jail(8) would for any jail: the
  // settings get variables and += like every jail.conf.
  jailconf::Section probe{"ljail-settings", false, {}, {path, 0}};
  loaded.sections.push_back(probe);
  std::optional<jailconf::EvaluatedJail> values;
  jailconf::ForEachEvaluatedJail(
      loaded, &diagnostics, [&](jailconf::EvaluatedJail&& jail) { values = std::move(jail); },
      std::string_view("ljail-settings"));
  if (diagnostics.HasErrors()) ThrowUsage(diagnostics.ToString() + "in the settings file");
  if (!values) ThrowUsage(path + ": its statements could not be evaluated");
  for (size_t i = 1; i < values->params.size(); ++i) {  // [0] is the implied name
    const jailconf::EvaluatedParam& p = values->params[i];
    auto key =
        std::find_if(Keys().begin(), Keys().end(), [&](const Key& k) { return p.name == k.name; });
    if (key == Keys().end()) {
      std::string known, guess;
      for (const Key& k : Keys()) {
        known += std::string(known.empty() ? "" : ", ") + k.name;
        if (CloseEnough(p.name, k.name)) guess = k.name;
      }
      ThrowUsage(fmt::format("{} line {}: unknown setting \"{}\"{} (known: {})", p.location.file,
                             p.location.line, p.name,
                             guess.empty() ? "" : fmt::format("; did you mean {}?", guess), known));
    }
    if (p.values.size() != 1) {
      ThrowUsage(
          fmt::format("{} line {}: {} takes one value", p.location.file, p.location.line, p.name));
    }
    settings.*(key->field) = p.values[0];
  }
  try {
    ValidateSettings(settings);
  } catch (const Error& e) {
    throw e.WithContext(path);
  }
  return settings;
}

std::string RenderSettings(const Settings& settings) {
  std::string out =
      "# ljail settings (jail.conf(5) syntax). One place for where jails live.\n"
      "# Written by `ljail host init`; edit freely, `ljail host check` validates it.\n\n";
  for (const Key& k : Keys()) {
    out += fmt::format("# {}\n{} = {};\n", k.comment, k.name,
                       jailconf::QuoteLiteral(settings.*(k.field)));
  }
  return out;
}

}  // namespace ljail
