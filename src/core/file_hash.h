// A file's identity for naming (not for security: checksums that guard
// downloads are checked with sha256 against the publisher's MANIFEST).
#pragma once

#include <string>

namespace ljail {

/// FNV-1a, 64 bits, over the file's bytes, as 16 hex digits.
std::string IdentityHash(const std::string& path);

}  // namespace ljail
