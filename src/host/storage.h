// Where templates and jails live: ZFS datasets when the settings name a
// zfs_root, plain directories otherwise. Names are relative to the root,
// "templates/14.3-RELEASE" or "containers/web"; the storage turns them into
// datasets, paths and the actions a plan needs.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "host/host.h"
#include "host/plan.h"
#include "host/settings.h"

namespace ljail::host {

class Storage {
 public:
  virtual ~Storage() = default;

  /// "zfs" or "directory", for messages.
  virtual std::string Kind() const = 0;
  /// The host path holding the files of `name`.
  virtual std::string Path(const std::string& name) const = 0;
  /// The dataset behind `name` ("" for directories).
  virtual std::string Dataset(const std::string& name) const = 0;
  virtual bool Exists(const std::string& name) const = 0;
  virtual Action Create(const std::string& name) const = 0;
  /// Whether `name@snapshot` exists. Directories have no snapshots: there
  /// it records that the tree is complete (a marker under ljail's state).
  virtual bool HasSnapshot(const std::string& name, const std::string& snapshot) const = 0;
  virtual Action Snapshot(const std::string& name, const std::string& snapshot) const = 0;
  /// Makes `name` a copy of `source@snapshot`: a ZFS clone (no data copied),
  /// or for directories a copy of the tree. `mountpoint` (a host path) puts
  /// it somewhere else than Path(name).
  virtual Action Clone(const std::string& source, const std::string& snapshot,
                       const std::string& name, const std::string& mountpoint = "") const = 0;
  /// Removes `name` and everything below it (datasets: zfs destroy -r).
  virtual Action Destroy(const std::string& name) const = 0;
  /// The names directly below `area` ("templates" -> "templates/14.3-RELEASE").
  virtual std::vector<std::string> List(const std::string& area) const = 0;
};

/// The settings file read with this host's defaults: jails live in
/// /usr/local/jails on FreeBSD (hier(7)) and /var/lib/ljail/jails on Linux
/// (the FHS's place for a program's state).
Settings LoadHostSettings(const Host& host, bool* found = nullptr);

/// The storage the settings describe.
std::unique_ptr<Storage> MakeStorage(const Host& host, const Settings& settings);

/// ljail's own state on the host: journals and markers (/var/db/ljail on
/// FreeBSD, /var/lib/ljail on Linux, as hier(7) and the FHS place them).
std::string StateDir(const Host& host);

}  // namespace ljail::host
