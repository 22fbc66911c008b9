#include "runtime/linux/mount_setup.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "core/error.h"
#include "core/strings.h"
#include "core/tree_fs.h"

namespace ljail::host::linux_ns {
namespace {

// The longest directory that holds both paths ("/a/b/up", "/a/b/work" ->
// "/a/b").
std::string CommonDirectory(const std::string& a, const std::string& b) {
  size_t n = 0, slash = 0;
  while (n < a.size() && n < b.size() && a[n] == b[n]) {
    if (a[n] == '/') slash = n;
    ++n;
  }
  if ((n == a.size() || a[n] == '/') && (n == b.size() || b[n] == '/')) slash = n;
  return slash == 0 ? "/" : a.substr(0, slash);
}

// An overlay whose layers are idmapped copies of their directories, named
// by /proc/self/fd/N (overlayfs resolves the path once, at mount time).
// upper and work share one copy: overlayfs wants them on one mount.
void MountIdmappedOverlay(const MountOp& op, int userns_fd) {
  std::vector<int> fds;
  auto through = [&](const std::string& dir) {
    fds.push_back(OpenIdmappedTree(dir, userns_fd));
    return fmt::format("/proc/self/fd/{}", fds.back());
  };
  try {
    std::string upper, work;
    std::vector<std::string> options;
    for (const std::string& opt : Split(op.data, ',')) {
      std::string key = opt.substr(0, opt.find('=')), value = opt.substr(key.size() + 1);
      if (key == "lowerdir") {
        std::vector<std::string> layers;
        for (const std::string& dir : Split(value, ':')) layers.push_back(through(dir));
        options.push_back("lowerdir=" + Join(layers, ":"));
      } else if (key == "upperdir") {
        upper = value;
      } else if (key == "workdir") {
        work = value;
      } else {
        options.push_back(opt);
      }
    }
    if (!upper.empty()) {
      std::string top = CommonDirectory(upper, work);
      std::string root = through(top);
      options.push_back("upperdir=" + root + upper.substr(top.size()));
      options.push_back("workdir=" + root + work.substr(top.size()));
    }
    MountOp idmapped = op;
    idmapped.data = Join(options, ",");
    Mount(idmapped);
  } catch (...) {
    for (int fd : fds) ::close(fd);
    throw;
  }
  for (int fd : fds) ::close(fd);
}

void RunOp(const FsOp& op, int userns_fd) {
  switch (op.kind) {
    case FsOp::Kind::kMount:
      if (op.mount.idmap_base == 0) {
        Mount(op.mount);
      } else if (op.mount.fstype == "overlay") {
        MountIdmappedOverlay(op.mount, userns_fd);
      } else {
        AttachTree(OpenIdmappedTree(op.mount.source, userns_fd), op.mount.target);
      }
      return;
    case FsOp::Kind::kRemountFlags:
      RemountBind(op.mount.target, op.mount.flags);
      return;
    case FsOp::Kind::kMakeDevice:
      MakeDevice(op.path, op.mode, op.device);
      return;
    case FsOp::Kind::kMakeDirectory:
      if (::mkdir(op.path.c_str(), op.mode) != 0) ThrowSystem("mkdir", op.path, errno);
      if (::chmod(op.path.c_str(), op.mode) != 0) ThrowSystem("chmod", op.path, errno);
      return;
    case FsOp::Kind::kReplaceWithLink:
      if (::rmdir(op.path.c_str()) != 0) ThrowSystem("rmdir", op.path, errno);
      [[fallthrough]];
    case FsOp::Kind::kSymlink:
      if (::symlink(op.link_target.c_str(), op.path.c_str()) != 0)
        ThrowSystem("symlink", op.path, errno);
      return;
  }
}

}  // namespace

void CheckMountPoint(const std::string& jail_path, const std::string& mount_point) {
  // The jail's path itself may be a link (jail(8) checks below it): "/."
  // walks through it.
  TreeFs tree = TreeFs::Open(jail_path + "/.", jail_path);
  std::string below = mount_point.substr(jail_path.size());
  if (std::optional<TreeFs::Obstacle> o = tree.FirstObstacle(below)) {
    ThrowFailure(o->missing ? fmt::format("mount: {}{}: No such file or directory (jail(8) never "
                                          "creates mount points)",
                                          jail_path, o->path)
                            : fmt::format("mount: {}{} is a symbolic link", jail_path, o->path));
  }
  if (!tree.IsDirectory(below))
    ThrowFailure(fmt::format("mount: {}: Not a directory", mount_point));
}

void PerformMounts(const RuntimeSpec& spec, const std::string& jail_path, int userns_fd) {
  // New files, device nodes and tmpfs roots are the jail's root's; the
  // overlay copies up as it (its mounter's ids are its writer's). A failure
  // ends the keeper, so the ids need no restoring on the way out.
  if (spec.userns_base != 0) SetFileIds(spec.userns_base, spec.userns_base);
  for (const TranslatedMount& m : spec.mounts) {
    try {
      std::string point = m.ops.front().kind == FsOp::Kind::kMount ? m.ops.front().mount.target
                                                                   : m.ops.front().path;
      CheckMountPoint(jail_path, point);
      for (const FsOp& op : m.ops) RunOp(op, userns_fd);
    } catch (const Error& e) {
      throw e.WithContext(fmt::format("{}: mount \"{}\"", spec.name, m.line));
    }
  }
  if (spec.userns_base != 0) SetFileIds(0, 0);
}

}  // namespace ljail::host::linux_ns
