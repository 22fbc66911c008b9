// Copying a tree with everything that makes it a system: owners, modes,
// times, symbolic links, hard links, device nodes. The fallback of the
// directory storage when no snapshot/clone is available; on Linux each
// file is first tried as a reflink (FICLONE), which costs no space.
#pragma once

#include <string>

namespace ljail {

struct CopyStats {
  size_t entries = 0;
  size_t reflinked = 0;  ///< files shared by reflink rather than copied
};

/// Copies the contents of `from` into the directory `to` (created if
/// missing). Symbolic links are copied as links, never followed.
CopyStats CopyTree(const std::string& from, const std::string& to);

}  // namespace ljail
