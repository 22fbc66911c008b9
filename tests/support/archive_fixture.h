// Archives the tests build themselves: a small FreeBSD base.txz with its
// MANIFEST, and arbitrary tarballs.
#pragma once

#include <string>
#include <vector>

namespace ljail::testing {

struct ArchiveEntry {
  enum Type { kFile, kDirectory, kSymlink, kHardlink };
  ArchiveEntry(std::string entry_path, Type entry_type = kFile, std::string entry_content = "",
               int entry_mode = 0644)
      : path(std::move(entry_path)),
        type(entry_type),
        content(std::move(entry_content)),
        mode(entry_mode) {}

  std::string path;
  Type type = kFile;
  std::string content;  ///< file content, or link target
  int mode = 0644;
  int uid = 0;
  int gid = 0;
};

/// Writes a tar archive (xz-compressed when the name ends in .txz/.xz).
void WriteTarball(const std::string& path, const std::vector<ArchiveEntry>& entries);

/// A miniature base.txz for `release`: the directories and files ljail
/// touches (bin/freebsd-version with its USERLAND_VERSION, etc/rc, ...).
std::vector<ArchiveEntry> BaseTxzEntries(const std::string& release);

/// SHA-256 of a file, as 64 hex digits (computed with sha256sum(1)).
std::string Sha256File(const std::string& path);

}  // namespace ljail::testing
