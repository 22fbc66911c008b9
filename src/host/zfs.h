// zfs(8) through the Host: argv builders and the parsers of `zfs list -H -p`
// (docs/freebsd.md §6). OpenZFS speaks the same on FreeBSD and Linux.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "host/host.h"
#include "host/process.h"

namespace ljail::host::zfs {

struct Entry {
  std::string name;
  std::string type;        ///< filesystem or snapshot
  std::string mountpoint;  ///< "-" for snapshots
  std::string origin;      ///< "pool/x@snap" for a clone, "-" otherwise
};

Command Create(const std::string& dataset, const std::vector<std::string>& properties = {});
Command Snapshot(const std::string& snapshot);
Command Clone(const std::string& snapshot, const std::string& dataset);
Command Destroy(const std::string& dataset, bool recursive = false);
Command Set(const std::string& dataset, const std::string& property, const std::string& value);

/// The pools (top-level datasets); empty when zfs is missing or has none.
std::vector<std::string> Pools(const Host& host);
/// One dataset or snapshot; nullopt when it does not exist.
std::optional<Entry> Get(const Host& host, const std::string& name);
/// `name` and everything below it, snapshots included; empty when missing.
std::vector<Entry> ListTree(const Host& host, const std::string& name);

}  // namespace ljail::host::zfs
