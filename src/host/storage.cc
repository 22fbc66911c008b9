#include "host/storage.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "core/copy_tree.h"
#include "core/error.h"
#include "core/safe_remove.h"
#include "host/zfs.h"

namespace ljail::host {
namespace {

std::string Marker(const Host& host, const std::string& name, const std::string& snapshot) {
  std::string id = name + "@" + snapshot;
  std::replace(id.begin(), id.end(), '/', '%');
  return StateDir(host) + "/snapshots/" + id;
}

class ZfsStorage : public Storage {
 public:
  ZfsStorage(const Host& host, Settings settings) : host_(host), settings_(std::move(settings)) {}

  std::string Kind() const override { return "zfs"; }
  // Children inherit their mountpoint from zfs_root, which host init sets
  // to jails_dir: the path follows from the name.
  std::string Path(const std::string& name) const override { return settings_.Dir(name); }
  std::string Dataset(const std::string& name) const override { return settings_.Dataset(name); }
  bool Exists(const std::string& name) const override {
    return zfs::Get(host_, Dataset(name)).has_value();
  }
  Action Create(const std::string& name) const override {
    return Action::Run(zfs::Create(Dataset(name)));
  }
  bool HasSnapshot(const std::string& name, const std::string& snapshot) const override {
    return zfs::Get(host_, Dataset(name) + "@" + snapshot).has_value();
  }
  Action Snapshot(const std::string& name, const std::string& snapshot) const override {
    return Action::Run(zfs::Snapshot(Dataset(name) + "@" + snapshot));
  }
  Action Clone(const std::string& source, const std::string& snapshot, const std::string& name,
               const std::string& mountpoint) const override {
    Command c{"zfs", "clone"};
    if (!mountpoint.empty()) {
      c.argv.push_back("-o");
      c.argv.push_back("mountpoint=" + mountpoint);
    }
    c.argv.push_back(Dataset(source) + "@" + snapshot);
    c.argv.push_back(Dataset(name));
    return Action::Run(c);
  }
  Action Destroy(const std::string& name) const override {
    return Action::Run(zfs::Destroy(Dataset(name), true));
  }
  std::vector<std::string> List(const std::string& area) const override {
    std::vector<std::string> out;
    std::string parent = Dataset(area);
    for (const zfs::Entry& e : zfs::ListTree(host_, parent)) {
      if (e.type != "filesystem" || e.name == parent) continue;
      std::string rest = e.name.substr(parent.size() + 1);
      if (rest.find('/') == std::string::npos) out.push_back(area + "/" + rest);
    }
    return out;
  }

 private:
  const Host& host_;
  Settings settings_;
};

class DirectoryStorage : public Storage {
 public:
  DirectoryStorage(const Host& host, Settings settings)
      : host_(host), settings_(std::move(settings)) {}

  std::string Kind() const override { return "directory"; }
  std::string Path(const std::string& name) const override { return settings_.Dir(name); }
  std::string Dataset(const std::string&) const override { return ""; }
  bool Exists(const std::string& name) const override { return host_.IsDirectory(Path(name)); }
  Action Create(const std::string& name) const override {
    std::string path = Path(name);
    return Action::Custom("mkdir -p " + ShellQuoteWord(path),
                          [path](const Host& h) { h.MakeDirectories(path); });
  }
  bool HasSnapshot(const std::string& name, const std::string& snapshot) const override {
    return host_.Exists(Marker(host_, name, snapshot));
  }
  Action Snapshot(const std::string& name, const std::string& snapshot) const override {
    std::string marker = Marker(host_, name, snapshot);
    return Action::Custom("mark " + Path(name) + " complete as @" + snapshot + " (" + marker + ")",
                          [marker, path = Path(name)](const Host& h) {
                            h.MakeDirectories(marker.substr(0, marker.rfind('/')));
                            h.WriteFile(marker, path + "\n");
                          });
  }
  Action Clone(const std::string& source, const std::string& snapshot, const std::string& name,
               const std::string& mountpoint) const override {
    std::string from = Path(source);
    std::string to = mountpoint.empty() ? Path(name) : mountpoint;
    return Action::Custom(fmt::format("copy {} (complete as @{}) to {}: directories have no clones",
                                      from, snapshot, to),
                          [from, to](const Host& h) { CopyTree(h.Real(from), h.Real(to)); });
  }
  Action Destroy(const std::string& name) const override {
    std::string path = Path(name);
    // Its snapshot markers too: a marker left behind would call the next
    // build of the same name complete before it ran (issue 13).
    std::string marker = Marker(host_, name, "");
    std::string markers = marker.substr(0, marker.rfind('/'));
    std::string prefix = marker.substr(marker.rfind('/') + 1);  // "templates%NAME@"
    return Action::Custom(
        fmt::format("remove {} and its snapshot markers (no symlink followed, no mount entered)",
                    path),
        [path, markers, prefix](const Host& h) {
          RemoveResult r = RemoveTree(h.Real(path));
          if (!r.mount_points_kept.empty()) {
            ThrowFailure(fmt::format("{} is still mounted: nothing below it was removed",
                                     h.root().Logical(r.mount_points_kept.front())));
          }
          std::error_code none;
          for (const auto& e : std::filesystem::directory_iterator(h.Real(markers), none)) {
            if (e.path().filename().string().starts_with(prefix)) std::filesystem::remove(e.path());
          }
        });
  }
  std::vector<std::string> List(const std::string& area) const override {
    std::vector<std::string> out;
    std::error_code ignored;
    for (const auto& entry : std::filesystem::directory_iterator(host_.Real(Path(area)), ignored)) {
      if (entry.is_directory()) out.push_back(area + "/" + entry.path().filename().string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  const Host& host_;
  Settings settings_;
};

}  // namespace

std::unique_ptr<Storage> MakeStorage(const Host& host, const Settings& settings) {
  if (settings.uses_zfs()) return std::make_unique<ZfsStorage>(host, settings);
  return std::make_unique<DirectoryStorage>(host, settings);
}

Settings LoadHostSettings(const Host& host, bool* found) {
  Settings defaults;
  defaults.jails_dir = host.paths().jails_dir;
  return LoadSettings(host.root(), found, kSettingsPath, defaults);
}

std::string StateDir(const Host& host) { return host.paths().state_dir; }

}  // namespace ljail::host
