// "Did you mean ...?" for verbs, options and parameter names.
#pragma once

#include <string_view>

namespace ljail {

/// Levenshtein distance between two short strings.
size_t EditDistance(std::string_view a, std::string_view b);

/// True when `candidate` is close enough to `typed` to suggest it.
bool CloseEnough(std::string_view typed, std::string_view candidate);

}  // namespace ljail
