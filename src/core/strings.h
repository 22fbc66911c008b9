// Small string helpers shared by the parsers of command output.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ljail {

/// Non-empty lines, without their newlines.
std::vector<std::string> SplitLines(std::string_view text);
/// Fields between separators (empty fields kept).
std::vector<std::string> Split(std::string_view text, char separator);
/// Whitespace-separated words.
std::vector<std::string> Words(std::string_view text);
std::string Trim(std::string_view text);
/// `text` safe to print on a terminal: control characters (a jail's
/// passwd may hold terminal escapes) become \xNN.
std::string Printable(std::string_view text);
/// ASCII letters lowered; other bytes as they are.
std::string ToLower(std::string_view text);
/// The items with `separator` between them.
std::string Join(const std::vector<std::string>& items, std::string_view separator);
/// The decimal number `text` starts with ("5.15.0" -> 5, "100:x" -> 100);
/// nullopt when it starts with no digit or the number does not fit an int.
std::optional<int> LeadingInt(std::string_view text);

}  // namespace ljail
