#include "jailconf/parser.h"

#include <gtest/gtest.h>

namespace ljail::jailconf {
namespace {

struct Parsed {
  SyntaxFile file;
  Diagnostics diagnostics;
};

Parsed Parse(const std::string& text) {
  Parsed p;
  p.file = ParseConfig("t.conf", text, &p.diagnostics);
  return p;
}

std::string Errors(const std::string& text) { return Parse(text).diagnostics.ToString(); }

const JailBlock& BlockAt(const Parsed& p, size_t i) {
  return std::get<JailBlock>(p.file.items.at(i));
}

TEST(Parser, JailBlockWithStatements) {
  Parsed p = Parse("foo {\n  path = \"/j/foo\";\n  persist;\n}\n");
  ASSERT_FALSE(p.diagnostics.HasErrors()) << p.diagnostics.ToString();
  const JailBlock& b = BlockAt(p, 0);
  EXPECT_EQ(b.name, "foo");
  ASSERT_EQ(b.statements.size(), 2u);
  EXPECT_EQ(b.statements[0].name, "path");
  EXPECT_EQ(b.statements[0].op, AssignOp::kSet);
  EXPECT_EQ(b.statements[0].values.at(0).text, "/j/foo");
  EXPECT_EQ(b.statements[0].location.line, 2);
  EXPECT_EQ(b.statements[1].op, AssignOp::kNone);
  EXPECT_TRUE(b.statements[1].values.empty());
}

TEST(Parser, StatementForms) {
  Parsed p = Parse("a; b = x, y; c += z; d w; $v = 1; ;;");
  ASSERT_FALSE(p.diagnostics.HasErrors()) << p.diagnostics.ToString();
  ASSERT_EQ(p.file.items.size(), 5u);
  auto op = [&](size_t i) { return std::get<Statement>(p.file.items[i]).op; };
  EXPECT_EQ(op(0), AssignOp::kNone);
  EXPECT_EQ(op(1), AssignOp::kSet);
  EXPECT_EQ(std::get<Statement>(p.file.items[1]).values.size(), 2u);
  EXPECT_EQ(op(2), AssignOp::kAppend);
  EXPECT_EQ(op(3), AssignOp::kJuxtaposed);
  const Statement& v = std::get<Statement>(p.file.items[4]);
  EXPECT_TRUE(v.is_variable);
  EXPECT_EQ(v.name, "v");
}

TEST(Parser, QuotedJailAndParameterNames) {
  Parsed p = Parse("\"my jail\" { \"host.hostname\" = h; }");
  ASSERT_FALSE(p.diagnostics.HasErrors());
  EXPECT_EQ(BlockAt(p, 0).name, "my jail");
  EXPECT_EQ(BlockAt(p, 0).statements[0].name, "host.hostname");
}

TEST(Parser, GluedValueRecordsVariablePositions) {
  Parsed p = Parse("x = \"$path/compat/${d}\"x;");
  const ConfString& v = std::get<Statement>(p.file.items[0]).values[0];
  EXPECT_EQ(v.text, "/compat/x");
  ASSERT_EQ(v.vars.size(), 2u);
  EXPECT_EQ(v.vars[0].name, "path");
  EXPECT_EQ(v.vars[0].pos, 0u);
  EXPECT_EQ(v.vars[1].name, "d");
  EXPECT_EQ(v.vars[1].pos, 8u);
}

TEST(Parser, IncludeIsAStatement) {
  Parsed p = Parse(".include \"/etc/jail.conf.d/*.conf\";");
  ASSERT_FALSE(p.diagnostics.HasErrors());
  EXPECT_TRUE(IsInclude(std::get<Statement>(p.file.items[0])));
}

TEST(Parser, StatementByteRangesCoverNameToSemicolon) {
  std::string text = "j {\n  a = 1; # c\n}\n";
  Parsed p = Parse(text);
  const Statement& s = BlockAt(p, 0).statements[0];
  EXPECT_EQ(text.substr(s.begin, s.end - s.begin), "a = 1;");
  EXPECT_EQ(text[BlockAt(p, 0).open_brace], '{');
  EXPECT_EQ(text[BlockAt(p, 0).close_brace], '}');
}

TEST(Parser, MissingValueIsASyntaxError) {
  EXPECT_EQ(Errors("foo {\n  a = ;\n}"), "t.conf line 2: ;: syntax error\n");
}

TEST(Parser, MissingSemicolonAtTheEnd) {
  EXPECT_EQ(Errors("foo { a = 1 }"), "t.conf line 1: }: syntax error\n");
  EXPECT_EQ(Errors("a = 1"), "t.conf: unexpected EOF\n");
}

TEST(Parser, UnclosedBlock) { EXPECT_EQ(Errors("foo {\n a;\n"), "t.conf: unexpected EOF\n"); }

TEST(Parser, ThreeWordsInARow) { EXPECT_EQ(Errors("a b c;"), "t.conf line 1: c: syntax error\n"); }

// 14.0 and later: a block inside a block (jailparse.y, jail_name).
TEST(Parser, BlocksNest) {
  EXPECT_EQ(Errors("a {\n x;\n b {\n c;\n }\n d;\n}\n"), "");
  Parsed p = Parse("a {\n x;\n b {\n c;\n }\n d;\n}\n");
  ASSERT_EQ(p.file.items.size(), 1u);
  const JailBlock& a = BlockAt(p, 0);
  ASSERT_EQ(a.statements.size(), 2u);
  ASSERT_EQ(a.children.size(), 1u);
  EXPECT_EQ(a.children[0].name, "b");
  EXPECT_EQ(a.children[0].statements_before, 1u);
  EXPECT_EQ(a.children[0].statements[0].name, "c");
  EXPECT_EQ(Errors("a {\n b {\n c;\n"), "t.conf: unexpected EOF\n");
  std::string deep;
  for (int i = 0; i < 1001; ++i) deep += "a {";
  EXPECT_EQ(Errors(deep + std::string(1001, '}')),
            "t.conf line 1: blocks nested more than 1000 deep\n");
  std::string ok;
  for (int i = 0; i < 1000; ++i) ok += "a {";
  EXPECT_EQ(Errors(ok + std::string(1000, '}')), "");
}

TEST(Parser, AssignmentWithoutName) {
  EXPECT_EQ(Errors("= x;"), "t.conf line 1: =: syntax error\n");
}

TEST(Parser, GluedNameIsAnError) {
  EXPECT_EQ(Errors("host\"x\" = 1;"), "t.conf line 1: \"x\": syntax error\n");
}

TEST(Parser, StrayCharacter) {
  EXPECT_EQ(Errors("a = \x01;"), "t.conf line 1: \x01: syntax error\n");
}

TEST(Parser, CommaWithoutValue) {
  EXPECT_EQ(Errors("a = b,;"), "t.conf line 1: ;: syntax error\n");
}

TEST(Parser, OneMistakeGivesOneMessage) {
  EXPECT_EQ(Errors("$x { a; }"), "t.conf line 1: {: syntax error\n");
}

TEST(Parser, EveryBrokenStatementIsReported) {
  EXPECT_EQ(Errors("a = ;\nb = 1;\nc += ;\n"),
            "t.conf line 1: ;: syntax error\nt.conf line 3: ;: syntax error\n");
}

TEST(Parser, StrayClosingBrace) {
  Parsed p = Parse("}\nfoo { a; }\n");
  EXPECT_EQ(p.diagnostics.ToString(), "t.conf line 1: }: syntax error\n");
  EXPECT_EQ(BlockAt(p, 0).name, "foo");
}

TEST(Parser, LexicalErrorDropsTheBrokenPiece) {
  // The unterminated '"x' is reported and dropped; "a = b;" remains.
  Parsed p = Parse("a = \"x\nb;");
  EXPECT_EQ(p.diagnostics.ToString(), "t.conf line 1: unterminated string\n");
  EXPECT_EQ(std::get<Statement>(p.file.items.at(0)).values.at(0).text, "b");
}

TEST(Parser, ErrorsAfterALexicalError) {
  EXPECT_EQ(Errors("a = \"x\n;"),
            "t.conf line 1: unterminated string\nt.conf line 2: ;: syntax error\n");
}

TEST(Parser, EmptyFileAndEmptyStatements) {
  EXPECT_EQ(Errors(""), "");
  EXPECT_EQ(Errors(";;\n;"), "");
  EXPECT_EQ(Errors("j { ; ; }"), "");
}

}  // namespace
}  // namespace ljail::jailconf
