#include "support/golden.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace ljail::testing {

bool MatchesGolden(const std::string& name, const std::string& actual) {
  std::string path = std::string(LJAIL_SOURCE_DIR) + "/tests/golden/" + name;
  if (const char* update = std::getenv("LJAIL_UPDATE_GOLDEN"); update && *update == '1') {
    std::ofstream(path, std::ios::binary) << actual;
    return true;
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(expected.str(), actual)
      << "golden file " << path << " differs (LJAIL_UPDATE_GOLDEN=1 rewrites it)";
  return expected.str() == actual;
}

}  // namespace ljail::testing
