#include "jailconf/lexer.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <string_view>

#include "jailconf/escape.h"

namespace ljail::jailconf {
namespace {

// Flex rules of jaillex.l, numbered in file order: on equal match lengths the
// lower number wins.
enum Rule {
  kWhitespace,
  kLineComment,
  kBlockComment,
  kPlusEq,
  kReserved,
  kAtom,
  kEscape,
  kSingleChar,
  kSingleQuoted,
  kDoubleQuoted,
  kDoubleQuoteRest,
  kDoubleQuoteClose,
  kVariable,
  kBracedVariable,
  kUnterminatedComment,
  kUnterminatedString,
  kUnterminatedVariable,
  kOtherChar,
  kRestartNormal,
  kNoRule,
};

// Character classes of jaillex.l, looked up once per byte.
enum CharClass : unsigned char {
  kClassAtom = 1,      // [A-Za-z0-9_!%&()\-.:<>?@\[\]^`|~]
  kClassSpace = 2,     // [ \t\r\n]
  kClassReserved = 4,  // [,;={}]
  kClassSingle = 8,    // [$*+/\\]
};

struct CharTable {
  unsigned char classes[256] = {};
  constexpr CharTable() {
    for (int c = 'a'; c <= 'z'; ++c) classes[c] |= kClassAtom;
    for (int c = 'A'; c <= 'Z'; ++c) classes[c] |= kClassAtom;
    for (int c = '0'; c <= '9'; ++c) classes[c] |= kClassAtom;
    for (char c : std::string_view("_!%&()-.:<>?@[]^`|~"))
      classes[static_cast<unsigned char>(c)] |= kClassAtom;
    for (char c : std::string_view(" \t\r\n"))
      classes[static_cast<unsigned char>(c)] |= kClassSpace;
    for (char c : std::string_view(",;={}"))
      classes[static_cast<unsigned char>(c)] |= kClassReserved;
    for (char c : std::string_view("$*+/\\"))
      classes[static_cast<unsigned char>(c)] |= kClassSingle;
  }
};

constexpr CharTable kChars;

constexpr bool Is(char c, CharClass cls) {
  return kChars.classes[static_cast<unsigned char>(c)] & cls;
}

constexpr bool IsAtomChar(char c) { return Is(c, kClassAtom); }

bool IsOctal(char c) { return c >= '0' && c <= '7'; }

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

// The first characters each rule can match, per start state.
constexpr bool CanStart(Rule rule, unsigned char c, bool normal) {
  switch (rule) {
    case kWhitespace:
      return normal && Is(static_cast<char>(c), kClassSpace);
    case kLineComment:
      return normal && (c == '#' || c == '/');
    case kBlockComment:
    case kUnterminatedComment:
      return normal && c == '/';
    case kPlusEq:
      return normal && c == '+';
    case kReserved:
      return normal && Is(static_cast<char>(c), kClassReserved);
    case kAtom:
      return Is(static_cast<char>(c), kClassAtom);
    case kEscape:
      return c == '\\';
    case kSingleChar:
      return Is(static_cast<char>(c), kClassSingle);
    case kSingleQuoted:
      return normal && c == '\'';
    case kDoubleQuoted:
      return normal && c == '"';
    case kUnterminatedString:
      return normal && (c == '\'' || c == '"');
    case kDoubleQuoteRest:
      return !normal && c != '"' && c != '$' && c != '\\';
    case kDoubleQuoteClose:
      return !normal && c == '"';
    case kVariable:
    case kBracedVariable:
    case kUnterminatedVariable:
      return c == '$';
    case kOtherChar:
      return normal && c != '\n';
    case kRestartNormal:
      return !normal;
    case kNoRule:
      return false;
  }
  return false;
}

struct CandidateTable {
  uint32_t rules[2][256] = {};  // [0] normal state, [1] double-quote state
  constexpr CandidateTable() {
    for (int state = 0; state < 2; ++state) {
      for (int c = 0; c < 256; ++c) {
        for (int r = 0; r < kNoRule; ++r) {
          if (CanStart(static_cast<Rule>(r), static_cast<unsigned char>(c), state == 0)) {
            rules[state][c] |= 1u << r;
          }
        }
      }
    }
  }
};

constexpr CandidateTable kCandidates;

}  // namespace

size_t Lexer::Match(int rule) const {
  const char c = text_[pos_];
  switch (static_cast<Rule>(rule)) {
    case kWhitespace:
      return MatchWhitespace();
    case kLineComment:
      return MatchLineComment();
    case kBlockComment:
      return MatchBlockComment(true);
    case kPlusEq:
      return text_.substr(pos_, 2) == "+=" ? 2 : 0;
    case kReserved:
    case kSingleChar:
    case kDoubleQuoteClose:
    case kOtherChar:
    case kRestartNormal:
      return 1;
    case kAtom:
      return MatchAtom();
    case kEscape:
      return MatchEscape();
    case kSingleQuoted:
    case kDoubleQuoted:
      return MatchQuoted(c, pos_ + 1);
    case kDoubleQuoteRest:
      return MatchQuoted('"', pos_ + 1);
    case kVariable:
      return MatchVariable();
    case kBracedVariable:
      return MatchBracedVariable(true);
    case kUnterminatedComment:
      return MatchBlockComment(false);
    case kUnterminatedString:
      return MatchUnterminatedQuoted(c);
    case kUnterminatedVariable:
      return MatchBracedVariable(false);
    case kNoRule:
      return 0;
  }
  return 0;
}

Lexer::Lexer(std::string_view text, std::string file, Diagnostics* diagnostics)
    : text_(text), file_(std::move(file)), diagnostics_(diagnostics) {}

size_t Lexer::MatchWhitespace() const {
  size_t i = pos_;
  while (i < text_.size() && Is(text_[i], kClassSpace)) ++i;
  return i - pos_;
}

size_t Lexer::MatchLineComment() const {
  size_t i = pos_;
  if (text_[i] == '#') {
    ++i;
  } else if (text_.substr(i, 2) == "//") {
    i += 2;
  } else {
    return 0;
  }
  while (i < text_.size() && text_[i] != '\n') ++i;
  return i - pos_;
}

// Terminated:   "/*" ( [^*] | "*"+ [^*/] )* "*"+ "/"
// Unterminated: "/*" ( [^*] | "*"+ [^*/] )* "*"*
size_t Lexer::MatchBlockComment(bool terminated) const {
  if (text_.substr(pos_, 2) != "/*") return 0;
  size_t i = pos_ + 2;
  while (i < text_.size()) {
    if (text_[i] != '*') {
      ++i;
      continue;
    }
    size_t stars_end = i;
    while (stars_end < text_.size() && text_[stars_end] == '*') ++stars_end;
    if (stars_end < text_.size() && text_[stars_end] == '/') {
      return terminated ? stars_end + 1 - pos_ : stars_end - pos_;
    }
    if (stars_end == text_.size()) return terminated ? 0 : stars_end - pos_;
    i = stars_end + 1;
  }
  return terminated ? 0 : i - pos_;
}

size_t Lexer::MatchAtom() const {
  size_t i = pos_;
  while (i < text_.size() && IsAtomChar(text_[i])) ++i;
  return i - pos_;
}

// "\" ( . | \n | [0-7]{1,3} | x[0-9A-Fa-f]{1,2} )
size_t Lexer::MatchEscape() const {
  if (text_[pos_] != '\\' || pos_ + 1 >= text_.size()) return 0;
  size_t i = pos_ + 1;
  if (IsOctal(text_[i])) {
    size_t end = i;
    while (end < text_.size() && end - i < 3 && IsOctal(text_[end])) ++end;
    return end - pos_;
  }
  if (text_[i] == 'x') {
    size_t end = i + 1;
    while (end < text_.size() && end - i - 1 < 2 && IsHex(text_[end])) ++end;
    return end - pos_;
  }
  return 2;
}

// From body_start: ( [^Q\\] | \\(.|\n) )* Q   -- 0 when the quote never closes.
size_t Lexer::MatchQuoted(char quote, size_t body_start) const {
  size_t i = body_start;
  while (i < text_.size()) {
    if (text_[i] == quote) return i + 1 - pos_;
    if (text_[i] == '\\') {
      if (i + 1 >= text_.size()) return 0;
      i += 2;
    } else {
      ++i;
    }
  }
  return 0;
}

// Q ( [^\nQ\\] | \\. )*
size_t Lexer::MatchUnterminatedQuoted(char quote) const {
  if (text_[pos_] != quote) return 0;
  size_t i = pos_ + 1;
  while (i < text_.size()) {
    char c = text_[i];
    if (c == '\n' || c == quote) break;
    if (c == '\\') {
      if (i + 1 >= text_.size() || text_[i + 1] == '\n') break;
      i += 2;
    } else {
      ++i;
    }
  }
  return i - pos_;
}

size_t Lexer::MatchVariable() const {
  if (text_[pos_] != '$' || pos_ + 1 >= text_.size() || !IsNameStart(text_[pos_ + 1])) return 0;
  size_t i = pos_ + 2;
  while (i < text_.size() && IsNameChar(text_[i])) ++i;
  return i - pos_;
}

// Terminated:   "${" ( [^\n{}] | \\(.|\n) )* "}"
// Unterminated: "${" ( [^\n{}] | \\. )*
// (inside double quotes '"' is excluded from [^...] as well). A backslash
// may be a plain character or start an escape, so several positions can be
// reachable at once: walk them all and keep the longest match, as flex does.
size_t Lexer::MatchBracedVariable(bool terminated) const {
  if (text_.substr(pos_, 2) != "${") return 0;
  const bool in_quotes = state_ == State::kDoubleQuote;
  auto plain = [&](char c) {
    return c != '\n' && c != '{' && c != '}' && !(in_quotes && c == '"');
  };
  size_t best = terminated ? 0 : 2;
  bool at_k = true, at_k1 = false, at_k2 = false;  // reachable: k, k+1, k+2
  for (size_t k = pos_ + 2; at_k || at_k1; ++k) {
    if (at_k) {
      if (!terminated) best = std::max(best, k - pos_);
      if (k < text_.size()) {
        char c = text_[k];
        if (terminated && c == '}') best = std::max(best, k + 1 - pos_);
        if (plain(c)) at_k1 = true;
        if (c == '\\' && k + 1 < text_.size() && (terminated || text_[k + 1] != '\n')) {
          at_k2 = true;
        }
      }
    }
    at_k = at_k1;
    at_k1 = at_k2;
    at_k2 = false;
  }
  return best;
}

void Lexer::Advance(size_t length) {
  std::string_view consumed = text_.substr(pos_, length);
  line_ += static_cast<int>(std::count(consumed.begin(), consumed.end(), '\n'));
  pos_ += length;
}

Token Lexer::MakeToken(TokenKind kind, std::string value, size_t length) {
  Token token;
  token.kind = kind;
  token.value = std::move(value);
  token.begin = pos_;
  token.first_line = line_;
  Advance(length);
  token.end = pos_;
  token.line = line_;
  return token;
}

Token Lexer::StringPiece(std::string value, size_t length) {
  TokenKind kind = in_string_ ? TokenKind::kStringCont : TokenKind::kString;
  in_string_ = true;
  return MakeToken(kind, std::move(value), length);
}

Token Lexer::VariablePiece(std::string name, size_t length) {
  TokenKind kind = in_string_ ? TokenKind::kVarCont : TokenKind::kVar;
  in_string_ = true;
  return MakeToken(kind, std::move(name), length);
}

void Lexer::LexError(const char* what, size_t length) {
  Advance(length);
  diagnostics_->Error({file_, line_}, what);
}

size_t Lexer::LongestMatch(char c, int* rule) const {
  const bool normal = state_ == State::kNormal;
  *rule = kNoRule;
  size_t length = 0;
  // Try the rules that can start with `c`, in jaillex.l's order; a later
  // rule wins only with a strictly longer match, as in flex.
  for (uint32_t set = kCandidates.rules[normal ? 0 : 1][static_cast<unsigned char>(c)]; set;
       set &= set - 1) {
    int candidate = std::countr_zero(set);
    size_t candidate_length = Match(candidate);
    if (candidate_length > length) {
      *rule = candidate;
      length = candidate_length;
    }
  }
  return length;
}

Token Lexer::Next() {
  for (;;) {
    if (pos_ >= text_.size()) {
      Token end;
      end.begin = end.end = pos_;
      end.first_line = end.line = line_;
      return end;
    }
    const char c = text_[pos_];

    int matched_rule = kNoRule;
    const size_t length = LongestMatch(c, &matched_rule);
    const Rule rule = static_cast<Rule>(matched_rule);

    const std::string_view matched = text_.substr(pos_, length);
    switch (rule) {
      case kWhitespace:
      case kLineComment:
      case kBlockComment:
        in_string_ = false;
        Advance(length);
        continue;
      case kPlusEq:
        in_string_ = false;
        return MakeToken(TokenKind::kPlusEq, "+=", length);
      case kReserved: {
        in_string_ = false;
        TokenKind kind = c == ','   ? TokenKind::kComma
                         : c == ';' ? TokenKind::kSemicolon
                         : c == '=' ? TokenKind::kEquals
                         : c == '{' ? TokenKind::kLeftBrace
                                    : TokenKind::kRightBrace;
        return MakeToken(kind, std::string(1, c), length);
      }
      case kAtom:
      case kEscape:
      case kSingleChar:
        return StringPiece(DecodeEscapes(matched).text, length);
      case kSingleQuoted:
        return StringPiece(DecodeEscapes(matched.substr(1, length - 2)).text, length);
      case kDoubleQuoted:
      case kDoubleQuoteRest: {
        // A variable inside: return the text before it and scan the rest of
        // the string in the double-quote state (jaillex.l: BEGIN DQ; yyless).
        const size_t skip = rule == kDoubleQuoted ? 1 : 0;
        DecodedPiece piece = DecodeEscapes(matched.substr(skip, length - skip - 1), true);
        if (piece.variable_at) {
          state_ = State::kDoubleQuote;
          return StringPiece(std::move(piece.text), skip + *piece.variable_at);
        }
        state_ = State::kNormal;
        return StringPiece(std::move(piece.text), length);
      }
      case kDoubleQuoteClose:
        state_ = State::kNormal;
        Advance(length);
        continue;
      case kVariable:
        return VariablePiece(std::string(matched.substr(1)), length);
      case kBracedVariable:
        return VariablePiece(DecodeEscapes(matched.substr(2, length - 3)).text, length);
      case kUnterminatedComment:
        LexError("unterminated comment", length);
        continue;
      case kUnterminatedString:
        LexError("unterminated string", length);
        continue;
      case kUnterminatedVariable:
        LexError("unterminated variable", length);
        continue;
      case kOtherChar:
        return MakeToken(TokenKind::kOther, std::string(1, c), length);
      case kRestartNormal:
      case kNoRule:
        state_ = State::kNormal;
        continue;
    }
  }
}

std::vector<Token> Tokenize(std::string_view text, const std::string& file,
                            Diagnostics* diagnostics) {
  Lexer lexer(text, file, diagnostics);
  std::vector<Token> tokens;
  do {
    tokens.push_back(lexer.Next());
  } while (tokens.back().kind != TokenKind::kEnd);
  return tokens;
}

}  // namespace ljail::jailconf
