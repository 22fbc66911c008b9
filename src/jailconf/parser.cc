#include "jailconf/parser.h"

#include <fmt/format.h>

#include <optional>
#include <utility>

#include "jailconf/lexer.h"

namespace ljail::jailconf {
namespace {

bool StartsName(TokenKind kind) { return kind == TokenKind::kString || kind == TokenKind::kVar; }

// How deep blocks may nest: far beyond any real file, and short of what
// the recursive descent below (and bison's own stack in jail(8)) can hold.
constexpr int kMaxBlockDepth = 1000;

class Parser {
 public:
  Parser(SyntaxFile* file, Diagnostics* diagnostics)
      : file_(file), diagnostics_(diagnostics), lexer_(file->text, file->name, diagnostics) {
    current_ = lexer_.Next();
  }

  void ParseFile() {
    while (current_.kind != TokenKind::kEnd) {
      if (current_.kind == TokenKind::kSemicolon) {
        Advance();
      } else if (StartsBlock()) {
        depth_ = 1;
        if (std::optional<JailBlock> block = ParseBlock())
          file_->items.emplace_back(std::move(*block));
      } else if (std::optional<Statement> statement = ParseStatement()) {
        file_->items.emplace_back(std::move(*statement));
      }
    }
  }

 private:
  bool StartsBlock() {
    return current_.kind == TokenKind::kString && Peek().kind == TokenKind::kLeftBrace;
  }

  const Token& Peek() {
    if (!lookahead_) lookahead_ = lexer_.Next();
    return *lookahead_;
  }

  void Advance() {
    if (quiet_tokens_ > 0) --quiet_tokens_;
    if (lookahead_) {
      current_ = std::move(*lookahead_);
      lookahead_.reset();
    } else {
      current_ = lexer_.Next();
    }
  }

  // Like bison, stay quiet after an error until three tokens went through,
  // so one mistake gives one message rather than a cascade.
  void SyntaxError() {
    bool quiet = quiet_tokens_ > 0;
    quiet_tokens_ = 3;
    if (quiet) return;
    if (current_.kind == TokenKind::kEnd) {
      diagnostics_->Error({file_->name, 0}, "unexpected EOF");
    } else {
      std::string text = file_->text.substr(current_.begin, current_.end - current_.begin);
      diagnostics_->Error({file_->name, current_.line}, text + ": syntax error");
    }
  }

  // After an error: drop tokens up to and including the next ';' (the
  // `param: error` recovery of jailparse.y). A '}' is left for the block.
  void Recover() {
    while (current_.kind != TokenKind::kEnd && current_.kind != TokenKind::kRightBrace) {
      if (current_.kind == TokenKind::kSemicolon) {
        Advance();
        return;
      }
      Skip();
    }
  }

  // Drops a token without it counting as accepted.
  void Skip() {
    int quiet = quiet_tokens_;
    Advance();
    quiet_tokens_ = quiet;
  }

  // nullopt when the file ends inside it (reported).
  std::optional<JailBlock> ParseBlock() {
    JailBlock block;
    block.name = std::move(current_.value);
    block.location = {file_->name, current_.first_line};
    block.begin = current_.begin;
    Advance();
    block.open_brace = current_.begin;
    Advance();
    for (;;) {
      switch (current_.kind) {
        case TokenKind::kRightBrace:
          block.close_brace = current_.begin;
          Advance();
          return block;
        case TokenKind::kSemicolon:
          Advance();
          break;
        case TokenKind::kEnd:
          SyntaxError();
          return std::nullopt;
        default:
          if (StartsBlock()) {
            if (depth_ >= kMaxBlockDepth) {
              diagnostics_->Error({file_->name, current_.line},
                                  fmt::format("blocks nested more than {} deep", kMaxBlockDepth));
              while (current_.kind != TokenKind::kEnd) Skip();  // the file is unusable: one message
              return std::nullopt;
            }
            size_t before = block.statements.size();
            ++depth_;
            std::optional<JailBlock> child = ParseBlock();
            --depth_;
            if (!child) return std::nullopt;
            child->statements_before = before;
            block.children.push_back(std::move(*child));
          } else if (std::optional<Statement> statement = ParseStatement()) {
            block.statements.push_back(std::move(*statement));
          }
      }
    }
  }

  // A statement including its ';'. On a syntax error: report, recover, nullopt.
  std::optional<Statement> ParseStatement() {
    if (!StartsName(current_.kind)) {
      SyntaxError();
      if (current_.kind == TokenKind::kRightBrace) {
        Skip();  // a stray '}' at the top level: drop just that token
      } else {
        Recover();
      }
      return std::nullopt;
    }
    Statement statement;
    statement.name = std::move(current_.value);
    statement.is_variable = current_.kind == TokenKind::kVar;
    statement.location = {file_->name, current_.first_line};
    statement.begin = current_.begin;
    Advance();

    switch (current_.kind) {
      case TokenKind::kSemicolon:
        statement.op = AssignOp::kNone;
        break;
      case TokenKind::kEquals:
      case TokenKind::kPlusEq:
        statement.op = current_.kind == TokenKind::kEquals ? AssignOp::kSet : AssignOp::kAppend;
        Advance();
        if (!ParseValue(&statement)) return std::nullopt;
        break;
      default:
        statement.op = AssignOp::kJuxtaposed;
        if (!ParseValue(&statement)) return std::nullopt;
    }
    if (current_.kind != TokenKind::kSemicolon) {
      SyntaxError();
      Recover();
      return std::nullopt;
    }
    statement.end = current_.end;
    Advance();
    return statement;
  }

  bool ParseValue(Statement* statement) {
    for (;;) {
      if (!StartsName(current_.kind)) {
        SyntaxError();
        Recover();
        return false;
      }
      statement->values.push_back(ParseString());
      if (current_.kind != TokenKind::kComma) return true;
      Advance();
    }
  }

  // Glues adjacent pieces into one value (jailparse.y's `string` rule).
  ConfString ParseString() {
    ConfString value;
    value.location = {file_->name, current_.first_line};
    bool first = true;
    while (first || current_.kind == TokenKind::kStringCont ||
           current_.kind == TokenKind::kVarCont) {
      first = false;
      if (current_.kind == TokenKind::kString || current_.kind == TokenKind::kStringCont) {
        if (value.text.empty()) {
          value.text = std::exchange(current_.value, {});  // taken, not copied
        } else {
          value.text += current_.value;
        }
      } else {
        value.vars.push_back({current_.value, value.text.size()});
      }
      Advance();
    }
    return value;
  }

  SyntaxFile* file_;
  Diagnostics* diagnostics_;
  Lexer lexer_;
  Token current_;
  std::optional<Token> lookahead_;
  int quiet_tokens_ = 0;
  int depth_ = 0;  // blocks open, the one being read included
};

}  // namespace

SyntaxFile ParseConfig(std::string name, std::string text, Diagnostics* diagnostics) {
  SyntaxFile file;
  file.name = std::move(name);
  file.text = std::move(text);
  Parser(&file, diagnostics).ParseFile();
  return file;
}

}  // namespace ljail::jailconf
