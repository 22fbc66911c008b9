#include "jail/layout.h"

namespace ljail::jail {

JailLayout MakeLayout(const Settings& settings, const std::string& name, const std::string& distro,
                      host::HostOs os) {
  std::string dir = settings.Dir("containers") + "/" + name;
  std::string config = std::string(kJailConfD) + "/" + name + ".conf";
  if (os == host::HostOs::kLinux) return {name, dir, dir + "/root", "", config};
  return {name, dir, dir, "/compat/" + distro, config};
}

}  // namespace ljail::jail
