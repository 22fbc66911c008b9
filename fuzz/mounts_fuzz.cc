// libFuzzer target for the mount-table readers (core/mount_table.h) and the
// translation of a jail's `mount` lines into Linux mounts: mount points are
// whatever an administrator or a jail's root named a directory, and a
// config's `mount` lines are input too. Any bytes must give entries or
// none, and a translation or a usage error naming the line, without a
// crash, a hang or a sanitizer report. The input is a table, one line each.
//
//   cmake -DLJAIL_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ ...; ./mounts_fuzz fuzz/mounts
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.h"
#include "core/mount_table.h"
#include "core/strings.h"
#include "runtime/linux/mount_translation.h"

namespace {

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> lines = ljail::SplitLines(text);
  for (const std::string& line : lines) {
    std::vector<std::string> words = ljail::Words(line);
    if (auto e = ljail::ReadFstabLine(line)) {
      Check(words.size() >= 3 && e->fstype == words[2]);
      // Decoding never lengthens a field.
      Check(e->device.size() <= words[0].size() && e->mount_point.size() <= words[1].size());
    } else {
      Check(words.size() < 3);
    }
    if (auto m = ljail::ReadMountInfoLine(line)) Check(m->mount_point.size() <= line.size());
  }
  try {
    auto translated = ljail::host::linux_ns::TranslateMounts(
        lines, "/jails/j", [](const std::string& path) { return "/root" + path; });
    for (const auto& t : translated) Check(t.mount_point.starts_with("/jails/j"));
  } catch (const ljail::Error& e) {
    Check(e.code() == ljail::ExitCode::kUsage);
  }
  return 0;
}
