#include "jail/layout.h"

#include <fmt/format.h>

#include "core/error.h"

namespace ljail::jail {

JailLayout MakeLayout(const Settings& settings, const std::string& name,
                      const std::string& linux_dir) {
  std::string dir = settings.Dir("containers") + "/" + name;
  std::string config = std::string(kJailConfD) + "/" + name + ".conf";
  return {name, dir, linux_dir.empty() ? dir + "/root" : dir, linux_dir, config};
}

void RequireOwnStorage(const std::string& name, const std::string& path, const JailLayout& layout) {
  if (path == layout.path) return;
  ThrowUsage(fmt::format(
      "{}: path {} is not where ljail keeps this jail ({}): ljail deletes only the storage it "
      "made; if jails_dir changed since, set it back, else remove the jail by hand",
      name, path.empty() ? "(none)" : path, layout.path));
}

}  // namespace ljail::jail
