// Writing jail.conf(5) text that jail(8) reads back to exactly the values
// meant: quoting, escapes, statements and whole jail blocks.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "jailconf/syntax.h"

namespace ljail::jailconf {

/// A value to write.
struct ConfValue {
  std::string text;
  /// false: `text` is meant literally ('$' is escaped). true: `text` holds
  /// `$name`/`${name}` references that jail(8) substitutes, e.g.
  /// "$path/compat/debian/dev". There "$$" stands for a literal '$'
  /// (written "\$"), for the shell variables of exec.* commands.
  bool expand = false;

  static ConfValue Literal(std::string text) { return {std::move(text), false}; }
  static ConfValue Expression(std::string text) { return {std::move(text), true}; }
};

using ConfValues = std::vector<ConfValue>;

/// Literal values, one ConfValue each.
ConfValues Literals(const std::vector<std::string>& texts);

/// A value as jail.conf text: bare when it is only letters, digits, '.',
/// '-' and '_' (jail.conf(5)'s advice), else double-quoted with escapes.
/// NUL bytes cannot be represented (jail(8) cuts strings there).
std::string FormatValue(const ConfValue& value);

/// Always double-quoted, escapes applied, '$' kept literal.
std::string QuoteLiteral(std::string_view text);

/// A parameter name, a `$variable` name or a jail name, quoted if needed.
std::string FormatName(std::string_view name, bool is_variable = false);

/// One statement with its ';': "name;", "name = a, b;", "name += a;".
std::string FormatStatement(std::string_view name, bool is_variable, AssignOp op,
                            const ConfValues& values);

/// The body of a jail block, built line by line, comments included, so that
/// generated files explain themselves.
class BlockBuilder {
 public:
  /// "# text"; a text with newlines becomes several comment lines.
  BlockBuilder& Comment(std::string_view text);
  BlockBuilder& Blank();
  /// "name = values;" ("name;" without values).
  BlockBuilder& Set(std::string_view name, const ConfValues& values = {});
  /// "name += value;".
  BlockBuilder& Append(std::string_view name, const ConfValues& values);
  /// "$name = values;".
  BlockBuilder& Variable(std::string_view name, const ConfValues& values);

  /// The lines, each prefixed by `indent` (comments and statements alike).
  std::string Render(std::string_view indent) const;

 private:
  std::vector<std::string> lines_;  // empty string = blank line
};

/// "NAME {\n<body>}\n" with a tab indent (style(9), jail.conf(5) examples).
std::string FormatJailBlock(std::string_view name, const BlockBuilder& body);

}  // namespace ljail::jailconf
