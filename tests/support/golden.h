// Golden files: expected outputs kept in tests/golden/. Run the tests with
// LJAIL_UPDATE_GOLDEN=1 to rewrite them after a deliberate change, then read
// the diff before committing it.
#pragma once

#include <string>

namespace ljail::testing {

/// Compares `actual` with tests/golden/<name>; true when equal (or updated).
/// On a difference the gtest failure shows both texts.
bool MatchesGolden(const std::string& name, const std::string& actual);

}  // namespace ljail::testing
