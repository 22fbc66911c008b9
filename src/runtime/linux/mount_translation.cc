#include "runtime/linux/mount_translation.h"

#include <fmt/format.h>
#include <sys/mount.h>
#include <sys/sysmacros.h>

#include <algorithm>
#include <map>
#include <regex>

#include "core/error.h"
#include "core/jail_spec.h"
#include "core/mount_table.h"
#include "core/strings.h"
#include "runtime/linux/user_namespace.h"

namespace ljail::host::linux_ns {
namespace {

struct Flag {
  const char* name;
  unsigned long bit;
};
constexpr Flag kFlags[] = {{"ro", MS_RDONLY},
                           {"nosuid", MS_NOSUID},
                           {"noexec", MS_NOEXEC},
                           {"nodev", MS_NODEV},
                           {"noatime", MS_NOATIME}};

struct Options {
  unsigned long flags = 0;
  std::vector<std::string> data;  ///< file-system options, Linux spelling
};

[[noreturn]] void Refuse(const std::string& line, const std::string& why) {
  ThrowUsage(fmt::format("mount \"{}\": {}", line, why));
}

bool Matches(const std::string& value, const char* pattern) {
  return std::regex_match(value, std::regex(pattern));
}

// The options of one line: generic flags for every type, then what the
// type itself takes, translated; anything else is refused by name.
Options ParseOptions(const std::string& line, const std::string& fstype, const std::string& text,
                     const RealPath& real) {
  Options o;
  for (const std::string& opt : Split(text, ',')) {
    if (opt.empty() || opt == "rw") continue;
    auto flag = std::find_if(std::begin(kFlags), std::end(kFlags),
                             [&](const Flag& f) { return opt == f.name; });
    if (flag != std::end(kFlags)) {
      o.flags |= flag->bit;
      continue;
    }
    std::string key = opt.substr(0, opt.find('='));
    std::string value = opt.find('=') == std::string::npos ? "" : opt.substr(opt.find('=') + 1);
    // tmpfs(5) options that Linux's tmpfs takes with the same spelling.
    bool same_on_linux =
        fstype == "tmpfs" && ((key == "size" && Matches(value, "[0-9]+[kKmMgGtT]?")) ||
                              (key == "mode" && Matches(value, "[0-7]{1,4}")) ||
                              ((key == "uid" || key == "gid") && Matches(value, "[0-9]+")));
    // devfs: the Linux /dev below is smaller than any jail ruleset shows;
    // fdescfs: /proc/self/fd links read the Linux way already.
    bool nothing_to_do = (fstype == "devfs" && key == "ruleset" && Matches(value, "[0-9]+")) ||
                         (fstype == "fdescfs" && opt == "linrdlnk");
    if (same_on_linux) {
      o.data.push_back(opt);
    } else if (fstype == "tmpfs" && key == "inodes" && Matches(value, "[0-9]+[kKmMgG]?")) {
      o.data.push_back("nr_inodes=" + value);
    } else if (nothing_to_do) {
      continue;
    } else if (fstype == "overlay" &&
               (key == "lowerdir" || key == "upperdir" || key == "workdir")) {
      std::vector<std::string> dirs = Split(value, ':');
      if (value.empty() || std::any_of(dirs.begin(), dirs.end(), [](const std::string& d) {
            return d.empty() || d[0] != '/';
          })) {
        Refuse(line, fmt::format("{} must name absolute directories", key));
      }
      std::string mapped;
      for (const std::string& d : dirs) mapped += (mapped.empty() ? "" : ":") + real(d);
      o.data.push_back(key + "=" + mapped);
    } else {
      static const std::map<std::string, std::string> kAccepted = {
          {"tmpfs", "size=, mode=, uid=, gid=, inodes="},
          {"devfs", "ruleset="},
          {"fdescfs", "linrdlnk"},
          {"overlay", "lowerdir=, upperdir=, workdir="}};
      auto it = kAccepted.find(fstype);
      Refuse(line, fmt::format("option \"{}\" has no Linux equivalent ljail can honour (accepted: "
                               "rw, ro, nosuid, noexec, nodev, noatime{})",
                               opt, it == kAccepted.end() ? "" : ", " + it->second));
    }
  }
  return o;
}

FsOp MountOf(std::string source, std::string target, std::string fstype, unsigned long flags,
             const std::vector<std::string>& data) {
  FsOp op;
  op.kind = FsOp::Kind::kMount;
  op.mount = {std::move(source), std::move(target), std::move(fstype), flags, Join(data, ",")};
  return op;
}

FsOp Simple(FsOp::Kind kind, std::string path, mode_t mode = 0, std::string link = "") {
  FsOp op;
  op.kind = kind;
  op.path = std::move(path);
  op.mode = mode;
  op.link_target = std::move(link);
  return op;
}

FsOp FlagsRemount(const std::string& target, unsigned long flags) {
  FsOp op;
  op.kind = FsOp::Kind::kRemountFlags;
  op.mount.target = target;
  op.mount.flags = flags;
  return op;
}

// FreeBSD's devfs under a jail ruleset, as a Linux program needs it: the
// six character devices, a devpts of its own (so the jail sees only its own
// terminals) and the directories other lines mount on.
void DevfsOps(const std::string& source, const std::string& dir, const Options& o,
              std::vector<FsOp>* ops) {
  ops->push_back(MountOf(source, dir, "tmpfs", MS_NOSUID | MS_NOEXEC,
                         {"mode=755", "size=64k", "nr_inodes=64"}));
  struct Node {
    const char* name;
    unsigned major, minor;
  };
  for (Node n : {Node{"null", 1, 3}, Node{"zero", 1, 5}, Node{"full", 1, 7}, Node{"random", 1, 8},
                 Node{"urandom", 1, 9}, Node{"tty", 5, 0}}) {
    FsOp op = Simple(FsOp::Kind::kMakeDevice, dir + "/" + n.name, 0666);
    op.device = makedev(n.major, n.minor);
    ops->push_back(op);
  }
  ops->push_back(Simple(FsOp::Kind::kMakeDirectory, dir + "/pts", 0755));
  ops->push_back(Simple(FsOp::Kind::kMakeDirectory, dir + "/shm", 01777));
  ops->push_back(Simple(FsOp::Kind::kMakeDirectory, dir + "/fd", 0755));
  ops->push_back(MountOf("devpts", dir + "/pts", "devpts", MS_NOSUID | MS_NOEXEC,
                         {"newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}));
  ops->push_back(Simple(FsOp::Kind::kSymlink, dir + "/ptmx", 0, "pts/ptmx"));
  for (int fd = 0; fd < 3; ++fd) {
    static const char* const kNames[] = {"stdin", "stdout", "stderr"};
    ops->push_back(Simple(FsOp::Kind::kSymlink, dir + "/" + kNames[fd], 0,
                          fmt::format("/proc/self/fd/{}", fd)));
  }
  if (o.flags != 0) ops->push_back(FlagsRemount(dir, o.flags));
}

std::string FlagNames(unsigned long flags) {
  std::vector<std::string> names;
  if (flags & MS_BIND) names.push_back("bind");
  for (const Flag& f : kFlags) {
    if (flags & f.bit) names.push_back(f.name);
  }
  return Join(names, ",");
}

// A mount of a jail with a user namespace: binds and the overlay's layers
// are idmapped, and ids in options (tmpfs, devpts) are the namespace's ids
// as the host knows them, since the keeper mounts as the host's root.
void ThroughUserNamespace(const std::string& line, uint32_t base, std::vector<FsOp>* ops) {
  for (FsOp& op : *ops) {
    if (op.kind != FsOp::Kind::kMount) continue;
    MountOp& m = op.mount;
    if ((m.flags & MS_BIND) || m.fstype == "overlay") m.idmap_base = base;
    if (m.fstype != "tmpfs" && m.fstype != "devpts") continue;
    std::vector<std::string> data = Split(m.data, ',');
    for (std::string& opt : data) {
      if (!opt.starts_with("uid=") && !opt.starts_with("gid=")) continue;
      unsigned long id = std::stoul(opt.substr(4));  // digits, checked by ParseOptions
      if (id >= kUsernsSize)
        Refuse(line, fmt::format("{} is outside the jail's user namespace (ids 0-{})", opt,
                                 kUsernsSize - 1));
      opt = fmt::format("{}{}", opt.substr(0, 4), base + id);
    }
    m.data = Join(data, ",");
  }
}

bool Below(const std::string& path, const std::string& top) {
  return path.size() > top.size() && path.starts_with(top) && path[top.size()] == '/';
}

// The mount point, normalized: inside the jail's path, and the path itself
// only for the overlay that is the jail's tree.
std::string CheckedMountPoint(const std::string& line, const std::string& field,
                              const std::string& fstype, const std::string& jail_path) {
  std::string point;
  try {
    point = NormalizeAbsolutePath(field, "mount point");
  } catch (const Error& e) {
    Refuse(line, e.what());
  }
  bool at_path = point == jail_path;
  if (!at_path && !Below(point, jail_path)) {
    Refuse(line, fmt::format("the mount point is outside the jail's path {}: the Linux runtime "
                             "mounts only inside the jail's own mount namespace",
                             jail_path));
  }
  if (at_path != (fstype == "overlay")) {
    Refuse(line, at_path ? "only an overlay (the jail's clone of its template) may be mounted "
                           "on the jail's path itself"
                         : "an overlay may only be mounted on the jail's path itself");
  }
  return point;
}

}  // namespace

std::vector<TranslatedMount> TranslateMounts(const std::vector<std::string>& lines,
                                             const std::string& jail_path, const RealPath& real,
                                             uint32_t userns_base) {
  std::vector<TranslatedMount> out;
  std::vector<std::string> devfs_dirs;
  bool overlay = std::any_of(lines.begin(), lines.end(), [](const std::string& line) {
    std::vector<std::string> f = FstabFields(line);
    return f.size() >= 3 && f[2] == "overlay";
  });
  if (userns_base != 0 && !overlay) {
    // A tree that is a directory of its own (a copy, a ZFS clone): the jail
    // sees it through the namespace's idmapping too, before anything is
    // mounted in it.
    TranslatedMount tree{"(the tree itself, idmapped)", "nullfs", jail_path, {}};
    tree.ops.push_back(MountOf(real(jail_path), real(jail_path), "", MS_BIND, {}));
    tree.ops.back().mount.idmap_base = userns_base;
    out.push_back(std::move(tree));
  }
  for (const std::string& line : lines) {
    std::vector<std::string> f = FstabFields(line);
    if (f.empty()) continue;  // jail(8) ignores an empty line
    if (f.size() < 3) Refuse(line, "missing information (DEVICE MOUNTPOINT FSTYPE [OPTIONS])");
    TranslatedMount t{line, f[2], f[1], {}};
    const std::string& device = f[0];
    const std::string point = CheckedMountPoint(line, f[1], t.fstype, jail_path);
    t.mount_point = point;
    Options o = ParseOptions(line, t.fstype, f.size() > 3 ? f[3] : "", real);
    std::string dir = real(point);
    if (t.fstype == "devfs") {
      DevfsOps(device, dir, o, &t.ops);
      devfs_dirs.push_back(point);
    } else if (t.fstype == "fdescfs") {
      std::string parent = point.substr(0, point.rfind('/'));
      if (std::find(devfs_dirs.begin(), devfs_dirs.end(), parent) == devfs_dirs.end()) {
        Refuse(line,
               "the Linux runtime provides fdescfs as /dev/fd inside the jail's devfs: "
               "its mount point must be a directory of an earlier devfs line");
      }
      t.ops.push_back(Simple(FsOp::Kind::kReplaceWithLink, dir, 0, "/proc/self/fd"));
    } else if (t.fstype == "linprocfs") {
      t.ops.push_back(MountOf(device, dir, "proc", o.flags | MS_NOSUID | MS_NODEV | MS_NOEXEC, {}));
    } else if (t.fstype == "linsysfs") {
      // The host's devices and kernel knobs are not the jail's to change.
      t.ops.push_back(MountOf(device, dir, "sysfs",
                              o.flags | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, {}));
    } else if (t.fstype == "tmpfs") {
      t.ops.push_back(MountOf(device, dir, "tmpfs", o.flags, o.data));
    } else if (t.fstype == "nullfs") {
      if (device.empty() || device[0] != '/')
        Refuse(line, "nullfs needs an absolute host directory");
      // Not MS_REC: nullfs does not carry the mounts below its source. A
      // share never carries the host's device nodes into the jail (nodev),
      // and its flags are locked: jail root cannot remount without
      // CAP_SYS_ADMIN (confinement.cc).
      t.ops.push_back(MountOf(real(device), dir, "", MS_BIND, {}));
      t.ops.push_back(FlagsRemount(dir, o.flags | MS_NODEV));
    } else if (t.fstype == "overlay") {
      // The tree: device nodes in it are not devices (the jail's /dev is
      // ljail's devfs above).
      t.ops.push_back(MountOf(device, dir, "overlay", o.flags | MS_NODEV, o.data));
    } else {
      Refuse(line, fmt::format("file system \"{}\" has no Linux translation (the runtime "
                               "honours devfs, fdescfs, linprocfs, linsysfs, tmpfs, nullfs and "
                               "overlay: see README, \"Linux hosts\")",
                               t.fstype));
    }
    if (userns_base != 0) ThroughUserNamespace(line, userns_base, &t.ops);
    out.push_back(std::move(t));
  }
  return out;
}

std::string DescribeOp(const FsOp& op) {
  switch (op.kind) {
    case FsOp::Kind::kMount: {
      const MountOp& m = op.mount;
      // mount(8)'s spelling: X-mount.idmap=ID-TYPE:NS-ID:HOST-ID:COUNT.
      std::string idmap = m.idmap_base == 0
                              ? ""
                              : fmt::format("X-mount.idmap=b:0:{}:{}", m.idmap_base, kUsernsSize);
      if (m.flags & MS_BIND)
        return fmt::format("mount --bind{} {} {}", idmap.empty() ? "" : " -o " + idmap, m.source,
                           m.target);
      std::string options = FlagNames(m.flags);
      if (!m.data.empty()) options += (options.empty() ? "" : ",") + m.data;
      return fmt::format("mount -t {}{} {} {}{}", m.fstype, options.empty() ? "" : " -o " + options,
                         m.source, m.target,
                         idmap.empty() ? "" : " (each layer bound with " + idmap + ")");
    }
    case FsOp::Kind::kRemountFlags:
      return fmt::format("mount -o remount,bind,{} {}", FlagNames(op.mount.flags), op.mount.target);
    case FsOp::Kind::kMakeDevice:
      return fmt::format("mknod -m {:o} {} c {} {}", op.mode, op.path, major(op.device),
                         minor(op.device));
    case FsOp::Kind::kMakeDirectory:
      return fmt::format("mkdir -m {:o} {}", op.mode, op.path);
    case FsOp::Kind::kSymlink:
      return fmt::format("ln -s {} {}", op.link_target, op.path);
    case FsOp::Kind::kReplaceWithLink:
      return fmt::format("rmdir {} && ln -s {} {}", op.path, op.link_target, op.path);
  }
  return "";
}

}  // namespace ljail::host::linux_ns
