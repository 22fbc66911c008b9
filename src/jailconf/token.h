// Tokens of jail.conf(5), as jaillex.l returns them to jailparse.y.
#pragma once

#include <cstddef>
#include <string>

namespace ljail::jailconf {

enum class TokenKind {
  kString,      ///< STR: a string piece that starts a new string
  kStringCont,  ///< STR1: a piece glued to the previous one (no space between)
  kVar,         ///< VAR: $name or ${name} starting a new string
  kVarCont,     ///< VAR1: a variable glued to the previous piece
  kPlusEq,      ///< +=
  kComma,
  kSemicolon,
  kEquals,
  kLeftBrace,
  kRightBrace,
  kOther,  ///< any other character: always a syntax error in the grammar
  kEnd,
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  /// Decoded text of a string piece (escapes applied, truncated at a NUL as
  /// jail(8)'s C strings are), or the name of a variable.
  std::string value;
  size_t begin = 0;  ///< byte range of the token in the source text
  size_t end = 0;
  int first_line = 1;  ///< line where the token starts
  int line = 1;        ///< line where it ends: jail(8)'s yylineno in messages
};

}  // namespace ljail::jailconf
