#include "host/freebsd/mounts.h"

#include "core/strings.h"

namespace ljail::host::freebsd {
namespace {

// fstab(5) escapes spaces (and other characters) as \ooo octal.
std::string Unescape(const std::string& field) {
  std::string out;
  for (size_t i = 0; i < field.size(); ++i) {
    bool octal = field[i] == '\\' && i + 4 <= field.size() &&
                 field.substr(i + 1, 3).find_first_not_of("01234567") == std::string::npos;
    if (octal) {
      out += static_cast<char>(std::stoi(field.substr(i + 1, 3), nullptr, 8));
      i += 3;
    } else {
      out += field[i];
    }
  }
  return out;
}

}  // namespace

std::vector<MountEntry> ParseMountP(const std::string& text) {
  std::vector<MountEntry> entries;
  for (const std::string& line : SplitLines(text)) {
    std::vector<std::string> f = Words(line);
    if (f.size() < 3) continue;
    entries.push_back({Unescape(f[0]), Unescape(f[1]), f[2], f.size() > 3 ? f[3] : ""});
  }
  return entries;
}

std::vector<MountEntry> Mounts(const Host& host) {
  return ParseMountP(host.Must({"mount", "-p"}).out);
}

Command Unmount(const std::string& mountpoint) { return {"umount", mountpoint}; }

}  // namespace ljail::host::freebsd
