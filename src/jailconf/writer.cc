#include "jailconf/writer.h"

#include <fmt/format.h>

namespace ljail::jailconf {
namespace {

bool IsBareWord(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

bool IsVariableName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

std::string DoubleQuoted(std::string_view text, bool keep_variables) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (keep_variables && c == '$' && i + 1 < text.size() && text[i + 1] == '$') {
      out += "\\$";  // "$$" in an expression: a literal '$' for sh(1)
      ++i;
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '$':
        out += keep_variables ? "$" : "\\$";
        break;
      default: {
        auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
          out += fmt::format("\\{:03o}", byte);  // always 3 digits: no digit after can join
        } else {
          out += c;
        }
      }
    }
  }
  out += '"';
  return out;
}

}  // namespace

std::string QuoteLiteral(std::string_view text) { return DoubleQuoted(text, false); }

ConfValues Literals(const std::vector<std::string>& texts) {
  ConfValues values;
  for (const std::string& text : texts) values.push_back(ConfValue::Literal(text));
  return values;
}

std::string FormatValue(const ConfValue& value) {
  if (IsBareWord(value.text)) return value.text;
  return DoubleQuoted(value.text, value.expand);
}

std::string FormatName(std::string_view name, bool is_variable) {
  if (is_variable) {
    return IsVariableName(name) ? fmt::format("${}", name) : fmt::format("${{{}}}", name);
  }
  return IsBareWord(name) ? std::string(name) : DoubleQuoted(name, false);
}

std::string FormatStatement(std::string_view name, bool is_variable, AssignOp op,
                            const ConfValues& values) {
  std::string out = FormatName(name, is_variable);
  if (values.empty() || op == AssignOp::kNone) return out + ";";
  out += op == AssignOp::kAppend ? " += " : " = ";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ", ";
    out += FormatValue(values[i]);
  }
  return out + ";";
}

BlockBuilder& BlockBuilder::Comment(std::string_view text) {
  size_t start = 0;
  for (;;) {
    size_t newline = text.find('\n', start);
    std::string_view line = text.substr(start, newline - start);
    lines_.push_back(line.empty() ? "#" : fmt::format("# {}", line));
    if (newline == std::string_view::npos) break;
    start = newline + 1;
  }
  return *this;
}

BlockBuilder& BlockBuilder::Blank() {
  lines_.emplace_back();
  return *this;
}

BlockBuilder& BlockBuilder::Set(std::string_view name, const ConfValues& values) {
  lines_.push_back(
      FormatStatement(name, false, values.empty() ? AssignOp::kNone : AssignOp::kSet, values));
  return *this;
}

BlockBuilder& BlockBuilder::Append(std::string_view name, const ConfValues& values) {
  lines_.push_back(FormatStatement(name, false, AssignOp::kAppend, values));
  return *this;
}

BlockBuilder& BlockBuilder::Variable(std::string_view name, const ConfValues& values) {
  lines_.push_back(FormatStatement(name, true, AssignOp::kSet, values));
  return *this;
}

std::string BlockBuilder::Render(std::string_view indent) const {
  std::string out;
  for (const std::string& line : lines_) {
    if (!line.empty()) {
      out += indent;
      out += line;
    }
    out += '\n';
  }
  return out;
}

std::string FormatJailBlock(std::string_view name, const BlockBuilder& body) {
  return fmt::format("{} {{\n{}}}\n", FormatName(name), body.Render("\t"));
}

}  // namespace ljail::jailconf
