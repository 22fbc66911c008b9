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

/// Which jail(8) reads the file: its grammar changed in 14.0
/// (docs/freebsd.md §1.2, §1.4; usr.sbin/jail/jailparse.y).
enum class Grammar {
  /// 14.0 and later: every top-level statement belongs to one global "*"
  /// section, made at the first of them; a block is listed when its name is
  /// read, and an `.include "F";` inside it brings F's statements into it.
  kFreeBSD14,
  /// 13.x: a new "*" section for each run of top-level statements; a block is
  /// listed at its '}'; no `.include`.
  kFreeBSD13,
};

/// The grammar of a FreeBSD release ("13.5", "14.3-RELEASE", "15"); usage
/// error otherwise.
Grammar GrammarOfRelease(const std::string& release);

/// One entry of jail(8)'s cfjails list: a jail block, or the implicit "*"
/// section of top-level statements, in the order jail(8) lists them.
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
LoadedConfig LoadConfigFile(const std::string& path, const RootFs& root, Diagnostics* diagnostics,
                            Grammar grammar = Grammar::kFreeBSD14);

/// Loads text already in memory; includes are resolved relative to `name`.
LoadedConfig LoadConfigText(const std::string& name, std::string text, const RootFs& root,
                            Diagnostics* diagnostics, Grammar grammar = Grammar::kFreeBSD14);

/// Whether glob(3) would treat the pattern as a glob (an unescaped '*', '?'
/// or a '[' with a closing ']'); FreeBSD's GLOB_MAGCHAR.
bool HasGlobMagic(const std::string& pattern);

}  // namespace ljail::jailconf
