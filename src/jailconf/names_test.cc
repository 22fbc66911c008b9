#include "jailconf/names.h"

#include <gtest/gtest.h>

namespace ljail::jailconf {
namespace {

TEST(Names, EqualOpts) {
  EXPECT_TRUE(EqualOpts("persist", "persist"));
  EXPECT_TRUE(EqualOpts("persist", "nopersist"));
  EXPECT_TRUE(EqualOpts("nopersist", "persist"));
  EXPECT_TRUE(EqualOpts("allow.mount", "allow.nomount"));
  EXPECT_TRUE(EqualOpts("allow.mount.nodevfs", "allow.mount.devfs"));
  EXPECT_FALSE(EqualOpts("allow.mount", "allow.mount.devfs"));
  EXPECT_FALSE(EqualOpts("allow.mount", "noallow.mount.x"));
  EXPECT_FALSE(EqualOpts("a.b", "c.b"));
  EXPECT_FALSE(EqualOpts("path", "paths"));
}

TEST(Names, WildcardNames) {
  EXPECT_TRUE(IsWildcardName("*"));
  EXPECT_TRUE(IsWildcardName("web.*"));
  EXPECT_TRUE(IsWildcardName("*.db"));
  EXPECT_TRUE(IsWildcardName("a.*.c"));
  EXPECT_FALSE(IsWildcardName("we*"));
  EXPECT_FALSE(IsWildcardName("*x"));
  EXPECT_FALSE(IsWildcardName("web"));
}

TEST(Names, WildcardMatching) {
  EXPECT_TRUE(WildcardMatches("anything", "*"));
  EXPECT_TRUE(WildcardMatches("a.b.c", "*"));
  EXPECT_TRUE(WildcardMatches("web.a", "web.*"));
  EXPECT_TRUE(WildcardMatches("web.a.b", "web.*"));
  EXPECT_FALSE(WildcardMatches("web", "web.*"));
  EXPECT_FALSE(WildcardMatches("webx.a", "web.*"));
  EXPECT_TRUE(WildcardMatches("x.db", "*.db"));
  EXPECT_FALSE(WildcardMatches("x.y.db", "*.db"));
  EXPECT_TRUE(WildcardMatches("a.x.c", "a.*.c"));
  EXPECT_FALSE(WildcardMatches("a.x.d", "a.*.c"));
}

TEST(Names, BoolValue) {
  EXPECT_TRUE(BoolValue("persist", {}));
  EXPECT_FALSE(BoolValue("nopersist", {}));
  EXPECT_TRUE(BoolValue("persist", {"TRUE"}));
  EXPECT_FALSE(BoolValue("persist", {"false"}));
  EXPECT_TRUE(BoolValue("persist", {"2"}));
  EXPECT_FALSE(BoolValue("persist", {"0"}));
  EXPECT_TRUE(BoolValue("nopersist", {"0"}));
  EXPECT_FALSE(BoolValue("allow.nomount", {"true"}));
  EXPECT_TRUE(BoolValue("persist", {"false", "true"})) << "the last value counts";
}

TEST(Names, NoPrefixAndJid) {
  EXPECT_EQ(WithoutNoPrefix("allow.nomount"), "allow.mount");
  EXPECT_EQ(WithoutNoPrefix("nopersist"), "persist");
  EXPECT_EQ(WithoutNoPrefix("path"), "path");
  EXPECT_TRUE(NameIsJid("12"));
  EXPECT_TRUE(NameIsJid("-3"));
  EXPECT_FALSE(NameIsJid("0"));
  EXPECT_FALSE(NameIsJid("12a"));
  EXPECT_FALSE(NameIsJid("web"));
}

}  // namespace
}  // namespace ljail::jailconf
