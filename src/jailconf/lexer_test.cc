#include "jailconf/lexer.h"

#include <gtest/gtest.h>

namespace ljail::jailconf {
namespace {

using K = TokenKind;

struct Lexed {
  std::vector<Token> tokens;
  Diagnostics diagnostics;
};

Lexed Lex(const std::string& text) {
  Lexed lexed;
  lexed.tokens = Tokenize(text, "t.conf", &lexed.diagnostics);
  return lexed;
}

// "S:x" = new string piece, "s:x" = glued piece, "V:n"/"v:n" = variables,
// other tokens as their text.
std::vector<std::string> Shapes(const std::string& text) {
  std::vector<std::string> out;
  for (const Token& t : Lex(text).tokens) {
    switch (t.kind) {
      case K::kString:
        out.push_back("S:" + t.value);
        break;
      case K::kStringCont:
        out.push_back("s:" + t.value);
        break;
      case K::kVar:
        out.push_back("V:" + t.value);
        break;
      case K::kVarCont:
        out.push_back("v:" + t.value);
        break;
      case K::kEnd:
        break;
      case K::kOther:
        out.push_back("?" + t.value);
        break;
      default:
        out.push_back(t.value);
    }
  }
  return out;
}

using Shape = std::vector<std::string>;

TEST(Lexer, BareWordsUseJail8sCharacterSet) {
  EXPECT_EQ(Shapes("a-b_c.d:e!f%g&h(i)j<k>l?m@n[o]p^q`r|s~t"),
            Shape({"S:a-b_c.d:e!f%g&h(i)j<k>l?m@n[o]p^q`r|s~t"}));
}

TEST(Lexer, WhitespaceSeparatesWords) {
  EXPECT_EQ(Shapes("a b\tc\r\nd"), Shape({"S:a", "S:b", "S:c", "S:d"}));
}

TEST(Lexer, AdjacentPiecesAreGlued) {
  EXPECT_EQ(Shapes("a\"b\"'c'd"), Shape({"S:a", "s:b", "s:c", "s:d"}));
}

TEST(Lexer, SlashesArePiecesOfAPath) {
  EXPECT_EQ(Shapes("/usr/local"), Shape({"S:/", "s:usr", "s:/", "s:local"}));
}

TEST(Lexer, HashInsideAWordStartsAComment) { EXPECT_EQ(Shapes("a#b c\nd"), Shape({"S:a", "S:d"})); }

TEST(Lexer, DoubleSlashStartsAComment) { EXPECT_EQ(Shapes("a//b\nc"), Shape({"S:a", "S:c"})); }

TEST(Lexer, BlockCommentSpansLinesAndEndsAWord) {
  Lexed lexed = Lex("a/* x\n * y **/b");
  ASSERT_EQ(lexed.tokens.size(), 3u);
  EXPECT_EQ(lexed.tokens[1].kind, K::kString) << "a comment resets the glue";
  EXPECT_EQ(lexed.tokens[1].line, 2);
}

TEST(Lexer, SlashStarInAnUnquotedPathOpensAComment) {
  Lexed lexed = Lex("mount = /tmp/*;\nx;");
  EXPECT_EQ(lexed.diagnostics.ToString(), "t.conf line 2: unterminated comment\n");
}

TEST(Lexer, ReservedTokens) {
  EXPECT_EQ(Shapes("a+=b,c;{}="), Shape({"S:a", "+=", "S:b", ",", "S:c", ";", "{", "}", "="}));
}

TEST(Lexer, PlusAloneIsAPiece) { EXPECT_EQ(Shapes("a+b"), Shape({"S:a", "s:+", "s:b"})); }

TEST(Lexer, SingleQuotesDecodeEscapesButNotVariables) {
  EXPECT_EQ(Shapes("'a\\tb $x ${y}'"), Shape({"S:a\tb $x ${y}"}));
}

TEST(Lexer, DoubleQuotesSplitAroundVariables) {
  EXPECT_EQ(Shapes("\"a $x b\""), Shape({"S:a ", "v:x", "s: b"}));
}

TEST(Lexer, DoubleQuotedVariableFirstGivesEmptyPiece) {
  EXPECT_EQ(Shapes("\"$x\""), Shape({"S:", "v:x"}));
}

TEST(Lexer, BracedVariableMayHoldDots) {
  EXPECT_EQ(Shapes("\"${host.hostname}.x\""), Shape({"S:", "v:host.hostname", "s:.x"}));
}

TEST(Lexer, PlainVariableStopsAtADot) {
  EXPECT_EQ(Shapes("$host.hostname"), Shape({"V:host", "s:.hostname"}));
}

TEST(Lexer, VariablesInBareWords) {
  EXPECT_EQ(Shapes("/jails/$name/x"), Shape({"S:/", "s:jails", "s:/", "v:name", "s:/", "s:x"}));
}

TEST(Lexer, TwoVariablesInDoubleQuotes) {
  EXPECT_EQ(Shapes("\"$a$b\""), Shape({"S:", "v:a", "v:b"}));
}

TEST(Lexer, DollarWithoutANameIsLiteral) {
  EXPECT_EQ(Shapes("\"a$ b\""), Shape({"S:a", "s:$", "s: b"}));
  EXPECT_EQ(Shapes("$5"), Shape({"S:$", "s:5"}));
}

TEST(Lexer, EscapedDollarIsLiteralInDoubleQuotes) {
  EXPECT_EQ(Shapes("\"a\\$x\""), Shape({"S:a$x"}));
}

TEST(Lexer, OctalAndHexEscapes) {
  EXPECT_EQ(Shapes("\"\\101\\1011\\x41\\x4g\""), Shape({"S:AA1A\x04g"}));
}

TEST(Lexer, HexEscapeWithoutDigitsIsNulAndCutsTheString) {
  EXPECT_EQ(Shapes("\"ab\\xZcd\""), Shape({"S:ab"}));
}

TEST(Lexer, CEscapes) {
  EXPECT_EQ(Shapes("\"\\a\\b\\f\\n\\r\\t\\v\\q\\\\\\\"\""), Shape({"S:\a\b\f\n\r\t\vq\\\""}));
}

TEST(Lexer, BackslashNewlineContinuesALine) {
  EXPECT_EQ(Shapes("\"ab\\\ncd\""), Shape({"S:abcd"}));
  EXPECT_EQ(Shapes("ab\\\ncd"), Shape({"S:ab", "s:", "s:cd"}));
}

TEST(Lexer, BackslashEscapesInBareWords) {
  EXPECT_EQ(Shapes("a\\ b\\;c"), Shape({"S:a", "s: ", "s:b", "s:;", "s:c"}));
}

TEST(Lexer, QuotedStringsMaySpanLines) {
  Lexed lexed = Lex("\"a\nb\" c");
  EXPECT_EQ(lexed.tokens[0].value, "a\nb");
  EXPECT_EQ(lexed.tokens[0].first_line, 1);
  EXPECT_EQ(lexed.tokens[0].line, 2);
  EXPECT_EQ(lexed.tokens[1].line, 2);
}

TEST(Lexer, UnterminatedStringIsReportedOnItsLine) {
  Lexed lexed = Lex("a;\nb = \"open;\nc;");
  EXPECT_EQ(lexed.diagnostics.ToString(), "t.conf line 2: unterminated string\n");
}

TEST(Lexer, UnterminatedSingleQuote) {
  EXPECT_EQ(Lex("x = 'abc").diagnostics.ToString(), "t.conf line 1: unterminated string\n");
}

TEST(Lexer, UnterminatedVariable) {
  EXPECT_EQ(Lex("x = ${abc\n;").diagnostics.ToString(), "t.conf line 1: unterminated variable\n");
}

TEST(Lexer, BackslashInBracedVariableNameMayEscapeABrace) {
  EXPECT_EQ(Shapes("${a\\}b}"), Shape({"V:a}b"}));
}

TEST(Lexer, LongestMatchPrefersTheUnterminatedVariableRule) {
  // "${a\}" closes, but the unterminated rule matches further to the end of
  // the line: flex takes the longer match, so jail(8) reports an error.
  EXPECT_EQ(Lex("${a\\} = 1;").diagnostics.ToString(), "t.conf line 1: unterminated variable\n");
}

TEST(Lexer, UnterminatedCommentRunsToTheEnd) {
  Lexed lexed = Lex("a; /* never\nclosed\n");
  EXPECT_EQ(lexed.diagnostics.ToString(), "t.conf line 3: unterminated comment\n");
}

TEST(Lexer, OtherCharactersBecomeTheirOwnToken) {
  EXPECT_EQ(Shapes("a \x01 b"), Shape({"S:a", "?\x01", "S:b"}));
}

TEST(Lexer, TokensRecordTheirBytes) {
  Lexed lexed = Lex("  ab = \"c d\";");
  EXPECT_EQ(lexed.tokens[0].begin, 2u);
  EXPECT_EQ(lexed.tokens[0].end, 4u);
  EXPECT_EQ(lexed.tokens[2].begin, 7u);
  EXPECT_EQ(lexed.tokens[2].end, 12u);
}

TEST(Lexer, LineNumbersCountNewlines) {
  Lexed lexed = Lex("a\n\n# c\nb /* \n */ c");
  EXPECT_EQ(lexed.tokens[0].line, 1);
  EXPECT_EQ(lexed.tokens[1].line, 4);
  EXPECT_EQ(lexed.tokens[2].line, 5);
}

TEST(Lexer, NulInARawFileCutsThePiece) {
  std::string text("\"ab\0cd\"", 7);
  EXPECT_EQ(Shapes(text), Shape({"S:ab"}));
}

}  // namespace
}  // namespace ljail::jailconf
