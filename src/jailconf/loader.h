// Reading a jail.conf file with its .include files (docs/freebsd.md §1.4)
// into the ordered list of sections that jail(8) evaluates.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/root_fs.h"
#include "jailconf/diagnostic.h"
#include "jailconf/syntax.h"

namespace ljail::jailconf {

/// One entry of jail(8)'s cfjails list: a jail block, or a run of top-level
/// statements (an implicit "*" section), in the order jail(8) sees them.
struct Section {
  std::string name;
  bool wildcard = false;
  std::vector<const Statement*> statements;
  Location location;
};

struct LoadedConfig {
  /// Every file read, the main one first; sections point into these.
  std::vector<std::unique_ptr<SyntaxFile>> files;
  std::vector<Section> sections;
};

/// jail(8)'s limit on nested includes.
inline constexpr int kMaxIncludeDepth = 32;

/// Loads `path` (a host path, opened under `root`) and its includes. A
/// missing main file is reported as jail(8) does: "PATH: No such file or
/// directory".
LoadedConfig LoadConfigFile(const std::string& path, const RootFs& root, Diagnostics* diagnostics);

/// Loads text already in memory; includes are resolved relative to `name`.
LoadedConfig LoadConfigText(const std::string& name, std::string text, const RootFs& root,
                            Diagnostics* diagnostics);

/// Whether glob(3) would treat the pattern as a glob (an unescaped '*', '?'
/// or a '[' with a closing ']'); FreeBSD's GLOB_MAGCHAR.
bool HasGlobMagic(const std::string& pattern);

}  // namespace ljail::jailconf
