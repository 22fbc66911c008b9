// The simulator's own jail.conf(5) reader. It is NOT ljail's engine: a
// plain scanner and evaluator written separately, good enough for the files
// ljail writes and for Handbook-style files, so that a config ljail believes
// valid is checked by a second, independent reading.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim.h"

namespace sim {

struct JailParams {
  std::string name;
  std::vector<std::string> order;  // parameter names, first-set order
  std::map<std::string, std::vector<std::string>> values;

  bool Has(const std::string& key) const { return values.count(key) > 0; }
  /// The last value, or "" when unset or valueless.
  std::string Get(const std::string& key) const;
  /// Valueless, "true" or non-zero; a "no" form set means false.
  bool Bool(const std::string& key) const;
};

/// The jail `name` from `file` (a host path) and its includes; nullopt when
/// the file does not define it. Errors end the command as jail(8) would
/// (exit 1, "jail: ..." messages).
std::optional<JailParams> ReadJail(State& s, const std::string& file, const std::string& name);

/// Names of the jails the file defines, in order.
std::vector<std::string> JailNames(State& s, const std::string& file);

}  // namespace sim
