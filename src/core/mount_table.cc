#include "core/mount_table.h"

#include <algorithm>
#include <fstream>

#include "core/strings.h"

namespace ljail {

std::string DecodeOctalEscapes(std::string_view field) {
  std::string out;
  out.reserve(field.size());
  for (size_t i = 0; i < field.size(); ++i) {
    auto digit = [&](size_t at, char top) { return field[at] >= '0' && field[at] <= top; };
    const bool octal = field[i] == '\\' && field.size() - i >= 4 && digit(i + 1, '3') &&
                       digit(i + 2, '7') && digit(i + 3, '7');
    if (octal) {
      out += static_cast<char>(((field[i + 1] - '0') << 6) | ((field[i + 2] - '0') << 3) |
                               (field[i + 3] - '0'));
      i += 3;
    } else if (field[i] == '\\' && i + 1 < field.size() && field[i + 1] == '\\') {
      out += '\\';
      ++i;
    } else {
      out += field[i];
    }
  }
  return out;
}

std::vector<std::string> FstabFields(std::string_view line) {
  std::vector<std::string> fields = Words(line);
  for (size_t i = 0; i < fields.size() && i < 2; ++i) fields[i] = DecodeOctalEscapes(fields[i]);
  return fields;
}

std::optional<MountEntry> ReadFstabLine(std::string_view line) {
  std::vector<std::string> f = FstabFields(line);
  if (f.size() < 3) return std::nullopt;
  return MountEntry{f[0], f[1], f[2], f.size() > 3 ? f[3] : ""};
}

std::vector<MountEntry> ReadFstab(std::string_view text) {
  std::vector<MountEntry> out;
  for (const std::string& line : SplitLines(std::string(text))) {
    if (std::optional<MountEntry> e = ReadFstabLine(line)) out.push_back(std::move(*e));
  }
  return out;
}

std::optional<MountInfoEntry> ReadMountInfoLine(std::string_view line) {
  std::vector<std::string> f = Words(line);
  if (f.size() < 6) return std::nullopt;
  // The optional fields end at the first lone "-" after the sixth field.
  auto dash = std::find(f.begin() + 6, f.end(), "-");
  if (f.end() - dash < 3) return std::nullopt;
  return MountInfoEntry{
      f[2],        DecodeOctalEscapes(f[3]),        DecodeOctalEscapes(f[4]),
      *(dash + 1), DecodeOctalEscapes(*(dash + 2)), dash + 3 < f.end() ? *(dash + 3) : ""};
}

std::vector<MountInfoEntry> ReadOwnMountInfo() {
  std::vector<MountInfoEntry> out;
  std::ifstream in("/proc/self/mountinfo");
  for (std::string line; std::getline(in, line);) {
    if (std::optional<MountInfoEntry> e = ReadMountInfoLine(line)) out.push_back(std::move(*e));
  }
  return out;
}

}  // namespace ljail
