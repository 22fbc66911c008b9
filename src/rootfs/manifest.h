// What a Linux template holds, recorded when it is built and read by
// `ljail template list/info`: the key, the packages with their versions (from
// the tree's own dpkg status, so nothing has to run inside it), the tools.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/tree_fs.h"
#include "rootfs/template_key.h"

namespace ljail::rootfs {

struct Package {
  std::string name;
  std::string version;
};

/// Installed packages ("install ok installed") of a dpkg status file.
std::vector<Package> ReadDpkgStatus(const std::string& status);
/// Packages dpkg has unpacked but not configured (an unfinished second stage).
std::vector<std::string> UnconfiguredPackages(const std::string& status);

/// KEY=value lines of os-release(5), quotes removed.
std::map<std::string, std::string> ParseOsRelease(const std::string& text);
/// A tree's os-release(5): /etc/os-release, else /usr/lib/os-release.
std::map<std::string, std::string> ReadOsRelease(const TreeFs& tree);

struct Manifest {
  std::string name;
  TemplateKey key;
  std::string source;  ///< "debootstrap 1.0.128", "mmdebstrap 1.3.5", "tarball <file>"
  std::string ljail_version;
  std::string created;      ///< UTC, ISO 8601
  std::string pretty_name;  ///< os-release PRETTY_NAME
  std::string codename;     ///< os-release VERSION_CODENAME
  std::vector<Package> packages;
};

std::string ManifestToJson(const Manifest& manifest);
/// nullopt when the text is not a manifest (a torn write is treated as absent).
std::optional<Manifest> ManifestFromJson(const std::string& text);

}  // namespace ljail::rootfs
