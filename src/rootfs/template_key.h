// Linux templates: which userland, built how. One template per key
// (distro, suite, arch, variant, package set, mirror); jails clone it.
#pragma once

#include <string>
#include <vector>

namespace ljail::rootfs {

/// A suite ljail knows for a distribution.
struct SuiteInfo {
  const char* distro;
  const char* suite;
  /// Debian requires a merged /usr from bookworm (Ubuntu from jammy): the
  /// usr-is-merged package refuses anything else (anchors §4, Bastille
  /// #1099/#1122), so ljail asks debootstrap for --merged-usr.
  bool merged_usr;
};

/// The suite, or a usage error naming the known ones.
const SuiteInfo& FindSuite(const std::string& distro, const std::string& suite);
const std::vector<SuiteInfo>& KnownSuites();

struct TemplateKey {
  std::string distro;          ///< debian, ubuntu
  std::string suite;           ///< bookworm, jammy...
  std::string arch = "amd64";  ///< Debian's architecture name: amd64, arm64
  std::string variant = "minbase";
  std::vector<std::string> packages;  ///< extra packages, sorted, unique
  std::string mirror;                 ///< archive URL, or "tarball:<sha256>"

  /// "debian-bookworm-amd64-minbase", with "-<8 hex>" of a hash when the
  /// package set or the mirror is not the default one.
  std::string Name(const std::string& default_mirror) const;
  /// A stable text of every field, what the hash is taken of.
  std::string Canonical() const;
};

/// Parses "debian:bookworm" and the options into a key; throws usage errors
/// (unknown distro/suite/arch/variant, bad package names, bad mirror URL).
TemplateKey MakeTemplateKey(const std::string& distro_suite, const std::string& arch,
                            const std::string& variant, const std::vector<std::string>& packages,
                            const std::string& mirror);

/// "debian:bookworm" -> {"debian", "bookworm"}; usage error otherwise.
std::pair<std::string, std::string> SplitDistroSuite(const std::string& text);

}  // namespace ljail::rootfs
