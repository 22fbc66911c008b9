#include "runtime/linux/mount_setup.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "core/error.h"
#include "core/tree_fs.h"

namespace ljail::host::linux_ns {
namespace {

void RunOp(const FsOp& op) {
  switch (op.kind) {
    case FsOp::Kind::kMount:
      Mount(op.mount);
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

void PerformMounts(const RuntimeSpec& spec, const std::string& jail_path) {
  for (const TranslatedMount& m : spec.mounts) {
    try {
      std::string point = m.ops.front().kind == FsOp::Kind::kMount ? m.ops.front().mount.target
                                                                   : m.ops.front().path;
      CheckMountPoint(jail_path, point);
      for (const FsOp& op : m.ops) RunOp(op);
    } catch (const Error& e) {
      throw e.WithContext(fmt::format("{}: mount \"{}\"", spec.name, m.line));
    }
  }
}

}  // namespace ljail::host::linux_ns
