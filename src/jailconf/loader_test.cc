#include "jailconf/loader.h"

#include <gtest/gtest.h>

#include "jailconf/jail_config.h"
#include "support/temp_dir.h"

namespace ljail::jailconf {
namespace {

using ljail::testing::TempDir;

std::vector<std::string> JailNames(const JailConfig& c) {
  std::vector<std::string> names;
  for (const EvaluatedJail& j : c.jails) names.push_back(j.name);
  return names;
}

using Names = std::vector<std::string>;

TEST(Loader, IncludesAGlobInSortedOrder) {
  TempDir dir;
  dir.Write("etc/jail.conf", "persist;\n.include \"/etc/jail.conf.d/*.conf\";\n");
  dir.Write("etc/jail.conf.d/b.conf", "b { path = /b; }\n");
  dir.Write("etc/jail.conf.d/a.conf", "a { path = /a; }\n");
  dir.Write("etc/jail.conf.d/c.conf.disabled", "c { path = /c; }\n");
  JailConfig c = JailConfig::Load("/etc/jail.conf", RootFs(dir.path()));
  EXPECT_EQ(c.syntax.ToString(), "");
  EXPECT_EQ(JailNames(c), Names({"a", "b"}));
  EXPECT_TRUE(c.Find("a")->Bool("persist")) << "the defaults before the include apply";
}

TEST(Loader, MessagesNameTheIncludedFile) {
  TempDir dir;
  dir.Write("etc/jail.conf", ".include \"/etc/jail.conf.d/*.conf\";\n");
  dir.Write("etc/jail.conf.d/x.conf", "x {\n  path = ;\n}\n");
  JailConfig c = JailConfig::Load("/etc/jail.conf", RootFs(dir.path()));
  EXPECT_EQ(c.syntax.ToString(), "/etc/jail.conf.d/x.conf line 2: ;: syntax error\n");
}

TEST(Loader, GlobWithNoMatchIsFine) {
  TempDir dir;
  dir.Write("etc/jail.conf", ".include \"/etc/jail.conf.d/*.conf\";\n");
  JailConfig c = JailConfig::Load("/etc/jail.conf", RootFs(dir.path()));
  EXPECT_FALSE(c.syntax.HasErrors());
  EXPECT_TRUE(c.jails.empty());
}

TEST(Loader, MissingPlainIncludeIsAnError) {
  TempDir dir;
  dir.Write("etc/jail.conf", "persist;\n.include \"/etc/extra.conf\";\n");
  JailConfig c = JailConfig::Load("/etc/jail.conf", RootFs(dir.path()));
  EXPECT_EQ(c.syntax.ToString(),
            "/etc/jail.conf line 2: /etc/extra.conf: No such file or directory\n");
}

TEST(Loader, BracketTrickMakesASingleFileOptional) {
  TempDir dir;
  dir.Write("etc/jail.conf", ".include \"/usr/local/etc/jail[.]conf\";\n");
  EXPECT_FALSE(JailConfig::Load("/etc/jail.conf", RootFs(dir.path())).syntax.HasErrors());
  dir.Write("usr/local/etc/jail.conf", "opt { path = /o; }\n");
  EXPECT_EQ(JailNames(JailConfig::Load("/etc/jail.conf", RootFs(dir.path()))), Names({"opt"}));
}

TEST(Loader, RelativeIncludeIsBasedOnTheIncludingFile) {
  TempDir dir;
  dir.Write("etc/jail.conf", ".include \"jail.conf.d/one.conf\";\n");
  dir.Write("etc/jail.conf.d/one.conf", ".include \"two.conf\";\none { path = /1; }\n");
  dir.Write("etc/jail.conf.d/two.conf", "two { path = /2; }\n");
  JailConfig c = JailConfig::Load("/etc/jail.conf", RootFs(dir.path()));
  EXPECT_EQ(c.syntax.ToString(), "");
  EXPECT_EQ(JailNames(c), Names({"two", "one"}));
}

TEST(Loader, IncludeDepthIsLimitedTo32) {
  TempDir dir;
  dir.Write("etc/loop.conf", ".include \"/etc/loop.conf\";\n");
  JailConfig c = JailConfig::Load("/etc/loop.conf", RootFs(dir.path()));
  EXPECT_EQ(c.syntax.ToString(), "/etc/loop.conf line 1: maximum include depth exceeded\n");
  EXPECT_EQ(c.loaded.files.size(), 33u) << "the main file and 32 nested includes";
}

TEST(Loader, VariablesAreNotAllowedInIncludes) {
  TempDir dir;
  dir.Write("etc/jail.conf", "$d = /etc;\n.include \"$d/x.conf\";\n");
  JailConfig c = JailConfig::Load("/etc/jail.conf", RootFs(dir.path()));
  EXPECT_EQ(c.syntax.ToString(),
            "/etc/jail.conf line 2: variables are not permitted in an .include file name\n");
}

TEST(Loader, ValuelessIncludeIsAnError) {
  TempDir dir;
  dir.Write("etc/jail.conf", ".include;\n");
  EXPECT_EQ(JailConfig::Load("/etc/jail.conf", RootFs(dir.path())).syntax.ToString(),
            "/etc/jail.conf line 1: .include: expected a quoted file name\n");
}

TEST(Loader, MissingMainFile) {
  TempDir dir;
  JailConfig c = JailConfig::Load("/etc/jail.conf", RootFs(dir.path()));
  EXPECT_EQ(c.syntax.ToString(), "/etc/jail.conf: No such file or directory\n");
}

TEST(Loader, WildcardsAfterAnIncludeOverrideIncludedJails) {
  TempDir dir;
  dir.Write("etc/jail.conf",
            "securelevel = 1;\n.include \"/etc/jail.conf.d/*.conf\";\nsecurelevel = 3;\n");
  dir.Write("etc/jail.conf.d/j.conf", "j { securelevel = 2; }\n");
  JailConfig c = JailConfig::Load("/etc/jail.conf", RootFs(dir.path()));
  EXPECT_EQ(c.Find("j")->String("securelevel"), "3");
}

TEST(Loader, OnlyRegularFilesAreRead) {
  TempDir dir;
  dir.Write("etc/jail.conf", ".include \"/etc/jail.conf.d\";\n");
  dir.Write("etc/jail.conf.d/x.conf", "x { persist; }\n");
  EXPECT_EQ(JailConfig::Load("/etc/jail.conf", RootFs(dir.path())).syntax.ToString(),
            "/etc/jail.conf line 1: /etc/jail.conf.d: not a regular file\n");
}

TEST(Loader, GlobMagicFollowsFreeBSD) {
  EXPECT_TRUE(HasGlobMagic("/etc/jail.conf.d/*.conf"));
  EXPECT_TRUE(HasGlobMagic("/etc/jail?.conf"));
  EXPECT_TRUE(HasGlobMagic("/etc/jail[.]conf"));
  EXPECT_FALSE(HasGlobMagic("/etc/jail[.conf")) << "no closing bracket";
  EXPECT_FALSE(HasGlobMagic("/etc/jail\\*.conf")) << "escaped";
  EXPECT_FALSE(HasGlobMagic("/etc/jail.conf"));
}

}  // namespace
}  // namespace ljail::jailconf
