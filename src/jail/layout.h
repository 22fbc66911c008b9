// Where a jail's parts live on the host.
#pragma once

#include <string>

#include "core/settings.h"

namespace ljail::jail {

inline constexpr const char* kJailConfD = "/etc/jail.conf.d";

struct JailLayout {
  std::string name;
  std::string path;         ///< host path of the jail's root (jail(8)'s `path`)
  std::string linux_dir;    ///< the Linux tree inside the jail: "/compat/debian"
  std::string config_file;  ///< /etc/jail.conf.d/NAME.conf

  /// Host path of the Linux tree.
  std::string LinuxTree() const { return path + linux_dir; }
  /// Storage name of the jail root ("containers/NAME").
  std::string StorageName() const { return "containers/" + name; }
  /// Storage name of the Linux tree's clone ("containers/NAME/linux").
  std::string LinuxStorageName() const { return StorageName() + "/linux"; }
};

JailLayout MakeLayout(const Settings& settings, const std::string& name, const std::string& distro);

}  // namespace ljail::jail
