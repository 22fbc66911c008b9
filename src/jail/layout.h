// Where a jail's parts live on the host.
#pragma once

#include <string>

#include "host/settings.h"

namespace ljail::jail {

inline constexpr const char* kJailConfD = "/etc/jail.conf.d";

struct JailLayout {
  std::string name;
  /// Host path of containers/NAME: the jail root on FreeBSD; on Linux the
  /// directory holding root/ and, for an overlay clone, upper/ and work/.
  std::string storage_dir;
  std::string path;         ///< host path of the jail's root (jail(8)'s `path`)
  std::string linux_dir;    ///< the Linux tree inside the jail: "/compat/debian"; "" on Linux
  std::string config_file;  ///< /etc/jail.conf.d/NAME.conf

  /// Host path of the Linux tree.
  std::string LinuxTree() const { return path + linux_dir; }
  /// Storage name of the jail root ("containers/NAME").
  std::string StorageName() const { return "containers/" + name; }
  /// Storage name of the Linux tree's clone ("containers/NAME/linux").
  std::string LinuxStorageName() const { return StorageName() + "/linux"; }
  /// An overlay clone's writable layer and overlayfs's work directory.
  std::string UpperDir() const { return storage_dir + "/upper"; }
  std::string WorkDir() const { return storage_dir + "/work"; }
};

/// FreeBSD's place for a Linux tree in a jail: "/compat/DISTRO" (linux(4)).
inline std::string CompatDir(const std::string& distro) { return "/compat/" + distro; }

/// The parts of jail NAME whose Linux tree is at `linux_dir` of its root.
/// A jail with a FreeBSD base (FreeBSD hosts: linux_dir CompatDir(distro))
/// has its root at containers/NAME. A jail whose root is the Linux tree
/// itself (Linux hosts: linux_dir "") has it at containers/NAME/root, so
/// that an overlay clone's upper/ and work/ sit beside it.
JailLayout MakeLayout(const Settings& settings, const std::string& name,
                      const std::string& linux_dir);

/// What `destroy` may delete: the jail's `path` must be where ljail keeps
/// that jail (`layout.path`, below jails_dir/containers/NAME). A file that
/// names another path (edited by hand, or jails_dir changed since) is a
/// usage error: ljail deletes only storage it made.
void RequireOwnStorage(const std::string& name, const std::string& path, const JailLayout& layout);

}  // namespace ljail::jail
