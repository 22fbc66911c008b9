// Whole-file reads and atomic writes (DESIGN.md, principle 4).
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

namespace ljail {

/// The file's bytes, or nullopt when it does not exist (ENOENT/ENOTDIR).
/// Any other failure throws.
std::optional<std::string> ReadFileIfExists(const std::string& path);

/// The bytes of a regular file of at most `limit` bytes, or nullopt when it
/// does not exist: for files a jail's root controls, which may be a FIFO
/// (it is never waited on), a device such as /dev/zero or huge. Anything
/// but a regular file, or a larger one, is an error that names the path.
std::optional<std::string> ReadRegularFileIfExists(const std::string& path, size_t limit);

/// The file's bytes; a missing file is an error.
std::string ReadFile(const std::string& path);

/// Replaces `path` with `content` atomically: a temporary file in the same
/// directory is written, flushed to disk and renamed over the target, so a
/// reader (or a crash) sees the old file or the new one, never a mix. An
/// existing file keeps its permission bits; a new one gets `mode`.
void WriteFileAtomically(const std::string& path, const std::string& content, mode_t mode = 0644);

}  // namespace ljail
