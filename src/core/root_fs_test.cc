#include "core/root_fs.h"

#include <gtest/gtest.h>

#include "core/spelling.h"

namespace ljail {
namespace {

TEST(RootFs, PrefixesAbsolutePathsOnly) {
  RootFs root("/tmp/r/");
  EXPECT_EQ(root.Host("/etc/jail.conf"), "/tmp/r/etc/jail.conf");
  EXPECT_EQ(root.Host("rel/x.conf"), "rel/x.conf");
  EXPECT_EQ(root.Logical("/tmp/r/etc/jail.conf"), "/etc/jail.conf");
  EXPECT_EQ(root.Logical("/tmp/rx/etc"), "/tmp/rx/etc");
  EXPECT_EQ(root.Logical("/tmp/r"), "/");
}

TEST(RootFs, EmptyOrSlashIsTheRealRoot) {
  EXPECT_EQ(RootFs("").Host("/etc/x"), "/etc/x");
  EXPECT_EQ(RootFs("/").Host("/etc/x"), "/etc/x");
}

TEST(Spelling, Distances) {
  EXPECT_EQ(EditDistance("start", "strat"), 1u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_TRUE(CloseEnough("strat", "start"));
  EXPECT_TRUE(CloseEnough("cnof", "conf"));
  EXPECT_FALSE(CloseEnough("zzz", "conf"));
}

}  // namespace
}  // namespace ljail
