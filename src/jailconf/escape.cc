#include "jailconf/escape.h"

namespace ljail::jailconf {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsOctal(char c) { return c >= '0' && c <= '7'; }

char SimpleEscape(char c) {
  switch (c) {
    case 'a':
      return '\a';
    case 'b':
      return '\b';
    case 'f':
      return '\f';
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    case 'v':
      return '\v';
    default:
      return c;
  }
}

}  // namespace

DecodedPiece DecodeEscapes(std::string_view raw, bool stop_at_variable) {
  DecodedPiece out;
  // Most pieces hold nothing to decode: one scan, one copy.
  bool plain = true;
  for (char c : raw) {
    if (c == '\\' || c == '\0' || (stop_at_variable && c == '$')) {
      plain = false;
      break;
    }
  }
  if (plain) {
    out.text.assign(raw);
    return out;
  }
  out.text.reserve(raw.size());
  size_t i = 0;
  while (i < raw.size()) {
    char c = raw[i];
    if (c != '\\') {
      if (stop_at_variable && c == '$') {
        out.variable_at = i;
        break;
      }
      out.text += c;
      ++i;
      continue;
    }
    ++i;  // the backslash
    if (i >= raw.size()) {
      // A lone trailing backslash cannot come out of the lexer's rules; keep it.
      out.text += '\\';
      break;
    }
    c = raw[i];
    if (IsOctal(c)) {
      int value = c - '0';
      for (int n = 1; n < 3 && i + 1 < raw.size() && IsOctal(raw[i + 1]); ++n) {
        value = value * 8 + (raw[++i] - '0');
      }
      out.text += static_cast<char>(value & 0xff);
      ++i;
      continue;
    }
    if (c == '\n') {  // line continuation: both characters vanish
      ++i;
      continue;
    }
    if (c == 'x') {
      int value = 0;
      for (int n = 0; n < 2 && i + 1 < raw.size() && HexDigit(raw[i + 1]) >= 0; ++n) {
        value = value * 16 + HexDigit(raw[++i]);
      }
      out.text += static_cast<char>(value);
      ++i;
      continue;
    }
    out.text += SimpleEscape(c);
    ++i;
  }
  if (size_t nul = out.text.find('\0'); nul != std::string::npos) out.text.resize(nul);
  return out;
}

}  // namespace ljail::jailconf
