// A jail after jail(8)'s evaluation: every parameter and variable with its
// final values, in the order jail(8) keeps them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "jailconf/diagnostic.h"

namespace ljail::jailconf {

struct EvaluatedParam {
  std::string name;  ///< as last written ("nopersist" if that came last)
  std::vector<std::string> values;
  Location location;  ///< the statement that set it last
};

struct EvaluatedJail {
  std::string name;
  Location location;                      ///< the jail's block
  std::vector<EvaluatedParam> params;     ///< the implied "name" (or "jid") first
  std::vector<EvaluatedParam> variables;  ///< `$name` definitions, without the '$'
  bool failed = false;                    ///< jail(8) would refuse this jail

  /// The parameter denoted by `name`, "no" forms included; nullptr if unset.
  const EvaluatedParam* Find(std::string_view key) const;
  const EvaluatedParam* FindVariable(std::string_view key) const;
  /// The boolean a parameter stands for, `fallback` when unset.
  bool Bool(std::string_view key, bool fallback = false) const;
  /// The last value of a scalar parameter (jail(8)'s string_param()).
  std::optional<std::string> String(std::string_view key) const;
  /// All values of a list parameter (empty when unset).
  std::vector<std::string> List(std::string_view key) const;
  /// The last value of a `$variable`.
  std::optional<std::string> Variable(std::string_view key) const;
};

}  // namespace ljail::jailconf
