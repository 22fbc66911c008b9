// Backslash escapes in jail.conf strings (jaillex.l's text2lval).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ljail::jailconf {

struct DecodedPiece {
  std::string text;
  /// With stop_at_variable: offset in the input of the first unescaped '$'.
  std::optional<size_t> variable_at;
};

/// Decodes \a \b \f \n \r \t \v, \NNN (octal, up to 3 digits), \xH and \xHH,
/// backslash-newline (removed) and \c -> c. A "\x" without hex digits yields
/// a NUL, as in jail(8). With `stop_at_variable` decoding stops at the first
/// unescaped '$' (double-quoted strings). The result is cut at its first NUL
/// byte: jail(8) handles every piece as a C string.
DecodedPiece DecodeEscapes(std::string_view raw, bool stop_at_variable = false);

}  // namespace ljail::jailconf
