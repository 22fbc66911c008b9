// A jail.conf file loaded and evaluated as jail(8) would: the one entry
// point the rest of ljail uses to read jail configuration.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/root_fs.h"
#include "jailconf/diagnostic.h"
#include "jailconf/jail.h"
#include "jailconf/loader.h"

namespace ljail::jailconf {

struct JailConfig {
  LoadedConfig loaded;
  std::vector<EvaluatedJail> jails;
  /// Reading and parsing. Any error here makes jail(8) refuse the whole file.
  Diagnostics syntax;
  /// Evaluation and value checks; each message names its jail, and only that
  /// jail is refused.
  Diagnostics evaluation;

  /// Loads `path` (a host path under `root`), evaluates every jail and runs
  /// the value checks.
  static JailConfig Load(const std::string& path, const RootFs& root);
  /// The same for text in memory (`name` is used in messages and to resolve
  /// relative includes).
  static JailConfig FromText(const std::string& name, std::string text, const RootFs& root,
                             Grammar grammar = Grammar::kFreeBSD14);
  /// Loads the whole file but evaluates only the jail(s) named `jail`: what
  /// a command about one jail needs, at a fraction of the memory.
  static JailConfig LoadJail(const std::string& path, const RootFs& root, std::string_view jail);

  /// The jail of that exact name, or nullptr.
  const EvaluatedJail* Find(std::string_view name) const;
  /// Syntax messages plus the evaluation messages about `jail`.
  std::vector<Diagnostic> MessagesFor(std::string_view jail) const;
  /// True when jail(8) could use the file and this jail in it.
  bool JailIsUsable(std::string_view jail) const;
};

}  // namespace ljail::jailconf
