#include "jailconf/loader.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "jailconf/jail_config.h"
#include "support/temp_dir.h"

namespace ljail::jailconf {
namespace {

using ljail::testing::TempDir;

std::vector<std::string> JailNames(const JailConfig& c) {
  std::vector<std::string> names;
  names.reserve(c.jails.size());
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

// `.include` is special only as `.include "F";` (jailparse.y, special_param):
// the other forms are an ordinary parameter, which jail(8) does not know.
TEST(Loader, OnlyTheNameValueFormIncludes) {
  TempDir dir;
  dir.Write("etc/never.conf", "never { a; }\n");
  for (const char* form :
       {".include;", ".include = \"/etc/never.conf\";", ".include += \"/etc/never.conf\";"}) {
    dir.Write("etc/jail.conf", std::string(form) + "\nj { b; }\n");
    JailConfig c = JailConfig::Load("/etc/jail.conf", RootFs(dir.path()));
    EXPECT_EQ(c.syntax.ToString(), "") << form;
    EXPECT_EQ(c.Find("never"), nullptr) << form;
    ASSERT_NE(c.Find("j"), nullptr) << form;
    EXPECT_NE(c.evaluation.ToString().find("unknown parameter: .include"), std::string::npos)
        << form << ": " << c.evaluation.ToString();
  }
}

TEST(Loader, MissingMainFile) {
  TempDir dir;
  JailConfig c = JailConfig::Load("/etc/jail.conf", RootFs(dir.path()));
  EXPECT_EQ(c.syntax.ToString(), "/etc/jail.conf: No such file or directory\n");
}

// 14.0 keeps one global "*" section, made at the first top-level
// statement: a statement after an .include (or a block) is a default for
// the jails listed after that first statement, not an override.
TEST(Loader, TopLevelStatementsAroundAnIncludeAreOneGlobalSection) {
  TempDir dir;
  dir.Write("etc/jail.conf",
            "securelevel = 1;\n.include \"/etc/jail.conf.d/*.conf\";\nsecurelevel = 3;\n"
            "enforce_statfs = 1;\n");
  dir.Write("etc/jail.conf.d/j.conf", "j { securelevel = 2; }\n");
  JailConfig c = JailConfig::Load("/etc/jail.conf", RootFs(dir.path()));
  ASSERT_NE(c.Find("j"), nullptr) << c.syntax.ToString();
  EXPECT_EQ(c.Find("j")->String("securelevel"), "2");
  EXPECT_EQ(c.Find("j")->String("enforce_statfs"), "1") << "a default from after the include";
}

// With no top-level statement before it, the global section comes after
// the jail and overrides it (jail(8)'s merge goes by list order).
TEST(Loader, AGlobalSectionMadeAfterAJailOverridesIt) {
  JailConfig c = JailConfig::FromText("t.conf", "j { a = own; }\na = global;\n", RootFs());
  EXPECT_EQ(c.Find("j")->String("a"), "global");
}

// 13.x made a "*" section for each run of top-level statements.
TEST(Loader, FreeBSD13StartsASectionForEachRunOfTopLevelStatements) {
  const std::string text = "a = 1;\nj { a = own; }\na = after;\n";
  EXPECT_EQ(JailConfig::FromText("t.conf", text, RootFs()).Find("j")->String("a"), "own");
  EXPECT_EQ(
      JailConfig::FromText("t.conf", text, RootFs(), Grammar::kFreeBSD13).Find("j")->String("a"),
      "after");
}

// 14.0: an .include inside a block belongs to that block, in place; a block
// in the included file is a child of it.
TEST(Loader, AnIncludeInsideABlockBelongsToIt) {
  TempDir dir;
  dir.Write("etc/web.inc", "role = web;\ncache { size = 1; }\n");
  dir.Write("etc/jail.conf", "web { a = 1;\n.include \"/etc/web.inc\";\nb = 2; }\n");
  JailConfig c = JailConfig::Load("/etc/jail.conf", RootFs(dir.path()));
  EXPECT_EQ(c.syntax.ToString(), "");
  ASSERT_NE(c.Find("web"), nullptr);
  EXPECT_EQ(c.Find("web")->String("role"), "web");
  EXPECT_EQ(c.Find("web")->String("b"), "2");
  ASSERT_NE(c.Find("web.cache"), nullptr);
  EXPECT_EQ(c.Find("web.cache")->String("size"), "1");
  EXPECT_EQ(c.Find("cache"), nullptr);
}

// A block inside a block is the jail PARENT.CHILD, listed after its parent,
// with only its own statements (14.0 and later); 13.x refuses it.
TEST(Loader, NestedBlocksAreChildJails) {
  const std::string text = "a { x = 1;\n b { y = 2; }\n z = 3; }\n";
  JailConfig c = JailConfig::FromText("t.conf", text, RootFs());
  EXPECT_EQ(c.syntax.ToString(), "");
  EXPECT_EQ(JailNames(c), (std::vector<std::string>{"a", "a.b"}));
  EXPECT_EQ(c.Find("a")->String("z"), "3");
  EXPECT_EQ(c.Find("a.b")->String("y"), "2");
  EXPECT_EQ(c.Find("a.b")->String("x"), std::nullopt) << "a child does not inherit its parent's";
  EXPECT_EQ(JailConfig::FromText("t.conf", text, RootFs(), Grammar::kFreeBSD13).syntax.ToString(),
            "t.conf line 2: b: a block inside a block: FreeBSD 13 reads it as a syntax error "
            "(14.0 and later: the jail a.b)\n");
}

TEST(Loader, FreeBSD13HasNoInclude) {
  TempDir dir;
  dir.Write("etc/jail.conf.d/j.conf", "j { a; }\n");
  JailConfig c = JailConfig::FromText("/etc/jail.conf", ".include \"/etc/jail.conf.d/*.conf\";\n",
                                      RootFs(dir.path()), Grammar::kFreeBSD13);
  EXPECT_EQ(c.syntax.ToString(),
            "/etc/jail.conf line 1: .include: FreeBSD 13 has no .include (14.0 and later read "
            "it); its jail(8) takes it for an unknown parameter\n");
  EXPECT_EQ(c.Find("j"), nullptr);
}

TEST(Loader, GrammarOfARelease) {
  EXPECT_EQ(GrammarOfRelease("13.5"), Grammar::kFreeBSD13);
  EXPECT_EQ(GrammarOfRelease("13.5-RELEASE"), Grammar::kFreeBSD13);
  EXPECT_EQ(GrammarOfRelease("14.0-RELEASE"), Grammar::kFreeBSD14);
  EXPECT_EQ(GrammarOfRelease("15"), Grammar::kFreeBSD14);
  for (const char* bad : {"", "x", "fourteen", "14-RELEASE", "-1", "0.1"})
    EXPECT_THROW(GrammarOfRelease(bad), Error) << bad;
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
