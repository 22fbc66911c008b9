#include "jailconf/document.h"

#include <gtest/gtest.h>

#include <sstream>

#include "core/error.h"
#include "jailconf/jail_config.h"

namespace ljail::jailconf {
namespace {

// A hand-written file in the Handbook's style, with the quirks people write:
// comments everywhere, no spaces around '=', a trailing comment, tabs.
constexpr const char* kHandwritten = R"(# /etc/jail.conf.d/d2l.conf -- written by hand
d2l {
  # network
  devfs_ruleset=4;
  ip4.addr="10.0.0.9/24";   # wifibox0
  mount += "devfs     $path/compat/debian/dev     devfs     rw  0 0";
  mount += "tmpfs     $path/compat/debian/dev/shm tmpfs     rw,size=1g,mode=1777  0 0";
  mount += "/tmp      $path/compat/debian/tmp     nullfs    rw  0 0";
	/* old: */ // allow.raw_sockets;
  persist;
}
)";

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The lines of `after` that differ from `before` (same line count assumed).
std::vector<std::string> ChangedLines(const std::string& before, const std::string& after) {
  std::vector<std::string> a = Lines(before), b = Lines(after), changed;
  EXPECT_EQ(a.size(), b.size());
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    if (a[i] != b[i]) changed.push_back(b[i]);
  }
  return changed;
}

JailConfig Evaluate(const ConfigDocument& doc) {
  return JailConfig::FromText("t.conf", doc.text(), RootFs());
}

TEST(Document, UnchangedTextRoundTripsByteForByte) {
  for (const char* text : {kHandwritten, "", "a;", "j{a;}", "\n\n# only a comment\n",
                           "x { y = \"multi\nline\"; }\r\n"}) {
    EXPECT_EQ(ConfigDocument("t.conf", text).text(), text);
  }
}

TEST(Document, SettingAParameterChangesOnlyItsLine) {
  ConfigDocument doc("t.conf", kHandwritten);
  doc.SetParam("d2l", "ip4.addr", Literals({"10.0.0.10/24"}));
  EXPECT_EQ(ChangedLines(kHandwritten, doc.text()),
            std::vector<std::string>({"  ip4.addr = \"10.0.0.10/24\";   # wifibox0"}));
  EXPECT_EQ(Evaluate(doc).Find("d2l")->String("ip4.addr"), "10.0.0.10/24");
}

TEST(Document, SettingTheSameValueAgainChangesNothing) {
  ConfigDocument doc("t.conf", kHandwritten);
  doc.SetParam("d2l", "devfs_ruleset", Literals({"4"}));
  doc.SetParam("d2l", "persist", {});
  EXPECT_EQ(doc.text(), kHandwritten);
}

TEST(Document, NewParameterGoesAtTheEndOfTheBlockWithItsIndent) {
  ConfigDocument doc("t.conf", kHandwritten);
  doc.SetParam("d2l", "host.hostname", Literals({"d2l.cloud-atlas.io"}));
  std::string expected = kHandwritten;
  expected.replace(expected.find("  persist;\n}"), 12,
                   "  persist;\n  host.hostname = d2l.cloud-atlas.io;\n}");
  EXPECT_EQ(doc.text(), expected);
}

TEST(Document, AppendGoesAfterTheLastStatementOfThatParameter) {
  ConfigDocument doc("t.conf", kHandwritten);
  doc.AppendParam(
      "d2l", "mount",
      {ConfValue::Expression("/home     $path/compat/debian/home    nullfs    rw  0 0")});
  std::vector<std::string> lines = Lines(doc.text());
  ASSERT_EQ(lines.size(), Lines(kHandwritten).size() + 1);
  EXPECT_EQ(lines[8], "  mount += \"/home     $path/compat/debian/home    nullfs    rw  0 0\";");
  EXPECT_EQ(Evaluate(doc).Find("d2l")->List("mount").size(), 4u);
}

TEST(Document, RemoveTakesWholeLinesAndTheirComments) {
  ConfigDocument doc("t.conf", kHandwritten);
  EXPECT_TRUE(doc.RemoveParam("d2l", "ip4.addr"));
  EXPECT_TRUE(doc.RemoveParam("d2l", "mount"));
  EXPECT_FALSE(doc.RemoveParam("d2l", "mount"));
  EXPECT_EQ(doc.text(), R"(# /etc/jail.conf.d/d2l.conf -- written by hand
d2l {
  # network
  devfs_ruleset=4;
	/* old: */ // allow.raw_sockets;
  persist;
}
)");
}

TEST(Document, SetReplacesTheFirstAndDropsLaterStatements) {
  ConfigDocument doc("t.conf", kHandwritten);
  doc.SetParam("d2l", "mount", Literals({"tmpfs /j/tmp tmpfs rw 0 0"}));
  EXPECT_EQ(Evaluate(doc).Find("d2l")->List("mount"),
            std::vector<std::string>({"tmpfs /j/tmp tmpfs rw 0 0"}));
  EXPECT_EQ(Lines(doc.text()).size(), Lines(kHandwritten).size() - 2);
}

TEST(Document, NoFormIsTheSameParameter) {
  ConfigDocument doc("t.conf", "j {\n\tnopersist;\n}\n");
  doc.SetParam("j", "persist", {});
  EXPECT_EQ(doc.text(), "j {\n\tpersist;\n}\n");
}

TEST(Document, OneLineBlock) {
  ConfigDocument doc("t.conf", "j { persist; }\n");
  doc.SetParam("j", "securelevel", Literals({"3"}));
  EXPECT_EQ(doc.text(), "j { persist; securelevel = 3; }\n");
  doc.RemoveParam("j", "persist");
  EXPECT_EQ(doc.text(), "j { securelevel = 3; }\n");
}

TEST(Document, EmptyBlockGetsATab) {
  ConfigDocument doc("t.conf", "j {\n}\n");
  doc.SetParam("j", "persist", {});
  EXPECT_EQ(doc.text(), "j {\n\tpersist;\n}\n");
}

TEST(Document, Variables) {
  ConfigDocument doc("t.conf", kHandwritten);
  doc.SetVariable("d2l", "ljail_distro", Literals({"debian"}));
  doc.SetVariable("d2l", "ljail_distro", Literals({"ubuntu"}));
  EXPECT_EQ(Evaluate(doc).Find("d2l")->Variable("ljail_distro"), "ubuntu");
  EXPECT_TRUE(doc.RemoveVariable("d2l", "ljail_distro"));
  EXPECT_EQ(doc.text(), kHandwritten);
}

// A parent's edit leaves its child block whole; the child is the jail
// "a.b", not a top-level "b" to edit.
TEST(Document, EditsOfAParentKeepItsChildBlock) {
  ConfigDocument doc("t.conf", "a {\n\tx;\n\tb {\n\t\ty;\n\t}\n}\n");
  doc.SetParam("a", "z", Literals({"1"}));
  JailConfig c = JailConfig::FromText("t.conf", doc.text(), RootFs());
  EXPECT_EQ(c.syntax.ToString(), "") << doc.text();
  EXPECT_EQ(c.Find("a")->String("z"), "1") << doc.text();
  ASSERT_NE(c.Find("a.b"), nullptr) << doc.text();
  EXPECT_EQ(c.Find("a.b")->String("z"), std::nullopt);
  EXPECT_THROW(doc.SetParam("b", "z", Literals({"1"})), Error);

  // A child opened on the line of the statement an append goes after.
  ConfigDocument same_line("t.conf", "a {\n\tmount += m1; b {\n\t\ty;\n\t}\n}\n");
  same_line.AppendParam("a", "mount", Literals({"m2"}));
  JailConfig again = JailConfig::FromText("t.conf", same_line.text(), RootFs());
  EXPECT_EQ(again.Find("a")->List("mount"), (std::vector<std::string>{"m1", "m2"}))
      << same_line.text();
  EXPECT_TRUE(again.Find("a.b")->List("mount").empty()) << same_line.text();
}

TEST(Document, AddIncludeOnce) {
  ConfigDocument doc("t.conf", "exec.clean;");
  EXPECT_TRUE(doc.AddInclude("/etc/jail.conf.d/*.conf"));
  EXPECT_FALSE(doc.AddInclude("/etc/jail.conf.d/*.conf"));
  EXPECT_EQ(doc.text(), "exec.clean;\n.include \"/etc/jail.conf.d/*.conf\";\n");
}

TEST(Document, AddJail) {
  ConfigDocument doc("t.conf", "");
  BlockBuilder body;
  body.Comment("made by a test").Set("path", Literals({"/j/web"})).Set("persist");
  doc.AddJail("web", body);
  EXPECT_EQ(doc.text(), "web {\n\t# made by a test\n\tpath = \"/j/web\";\n\tpersist;\n}\n");
  doc.AddJail("db", BlockBuilder().Set("persist"));
  EXPECT_EQ(doc.JailNames(), std::vector<std::string>({"web", "db"}));
  EXPECT_THROW(doc.AddJail("db", BlockBuilder()), Error);
}

TEST(Document, RefusesToEditABrokenFile) {
  try {
    ConfigDocument doc("t.conf", "j { a = ; }");
    FAIL() << "accepted a broken file";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("t.conf line 1: ;: syntax error"), std::string::npos);
  }
}

TEST(Document, UnknownOrDuplicatedJail) {
  ConfigDocument doc("t.conf", "a { x; }\na { y; }\n");
  EXPECT_THROW(doc.SetParam("b", "persist", {}), Error);
  EXPECT_THROW(doc.SetParam("a", "persist", {}), Error);
}

}  // namespace
}  // namespace ljail::jailconf
