#include "core/strings.h"

#include <gtest/gtest.h>

namespace ljail {
namespace {

TEST(Strings, PrintableEscapesWhatATerminalWouldObey) {
  EXPECT_EQ(Printable("admin"), "admin");
  EXPECT_EQ(Printable("evil\033[2J"), "evil\\x1b[2J");
  EXPECT_EQ(Printable(std::string("a\0b\tc\x7f", 6)), "a\\x00b\\x09c\\x7f");
  EXPECT_EQ(Printable("caf\xc3\xa9"), "caf\xc3\xa9") << "UTF-8 stays as it is";
}

}  // namespace
}  // namespace ljail
