#include "jail/layout.h"

namespace ljail::jail {

JailLayout MakeLayout(const Settings& settings, const std::string& name,
                      const std::string& distro) {
  return {name, settings.Dir("containers") + "/" + name, "/compat/" + distro,
          std::string(kJailConfD) + "/" + name + ".conf"};
}

}  // namespace ljail::jail
