// Unpacking release and rootfs tarballs with libarchive (in FreeBSD's base
// and in Debian), never through a tar(1) binary.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace ljail {

struct ExtractOptions {
  /// Restore owners as recorded (numeric ids): needs root.
  bool owners = true;
  /// Restore BSD file flags (schg...). Only meaningful on FreeBSD: on Linux
  /// libarchive would turn schg into the immutable attribute.
  bool file_flags = false;
  /// Called after each entry with the number extracted so far.
  std::function<void(size_t)> progress;
};

/// Extracts `archive` (any format and compression libarchive reads) into the
/// existing directory `destination`, replacing what is there (like tar
/// --unlink), refusing entries with ".." or absolute names and refusing to
/// write through symbolic links. Returns the number of entries. Throws
/// ljail::Error naming the archive and the entry on failure.
size_t ExtractArchive(const std::string& path, const std::string& destination,
                      const ExtractOptions& options = {});

}  // namespace ljail
