// The jail.conf(5) lexer: jaillex.l rule for rule (docs/freebsd.md §1.1).
//
// Like flex, at every position each active rule is tried, the longest match
// wins and ties go to the earlier rule. This is what makes the corner cases
// come out as on FreeBSD: "a#b" is a word and a comment, "/tmp/*" opens a
// comment, and a double-quoted string that holds a variable is returned in
// pieces (STR "a", VAR1 "x", STR1 "b") through a second start state.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "jailconf/diagnostic.h"
#include "jailconf/token.h"

namespace ljail::jailconf {

class Lexer {
 public:
  /// `file` names the text in messages. Lexical errors ("unterminated
  /// string") go to `diagnostics` and lexing goes on, as jail(8) does.
  Lexer(std::string_view text, std::string file, Diagnostics* diagnostics);

  /// The next token; kEnd at the end of the text (and forever after).
  Token Next();

 private:
  enum class State { kNormal, kDoubleQuote };

  /// The match length of one rule (lexer.cc's Rule) at pos_, 0 for none.
  size_t Match(int rule) const;
  /// The rule flex takes at pos_, whose first character is `c`: the
  /// longest match, the earliest rule on a tie. Its length; *rule is set.
  size_t LongestMatch(char c, int* rule) const;

  // One flex rule each; they return the match length at pos_ (0 = none).
  size_t MatchWhitespace() const;
  size_t MatchLineComment() const;
  size_t MatchBlockComment(bool terminated) const;
  size_t MatchAtom() const;
  size_t MatchEscape() const;
  size_t MatchQuoted(char quote, size_t body_start) const;
  size_t MatchUnterminatedQuoted(char quote) const;
  size_t MatchVariable() const;
  size_t MatchBracedVariable(bool terminated) const;

  void Advance(size_t length);
  Token MakeToken(TokenKind kind, std::string value, size_t length);
  Token StringPiece(std::string value, size_t length);
  Token VariablePiece(std::string name, size_t length);
  void LexError(const char* what, size_t length);

  std::string_view text_;
  std::string file_;
  Diagnostics* diagnostics_;
  size_t pos_ = 0;
  int line_ = 1;
  State state_ = State::kNormal;
  bool in_string_ = false;  // jaillex.l's `instr`: the next piece glues on
};

/// All tokens of `text`, ending with one kEnd token.
std::vector<Token> Tokenize(std::string_view text, const std::string& file,
                            Diagnostics* diagnostics);

}  // namespace ljail::jailconf
