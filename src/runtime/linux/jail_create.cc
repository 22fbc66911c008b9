#include "runtime/linux/jail_create.h"

#include <fmt/format.h>
#include <sched.h>
#include <sys/statfs.h>
#include <sys/utsname.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/error.h"
#include "host/storage.h"
#include "jail/config_gen.h"
#include "jail/create_common.h"
#include "jail/layout.h"
#include "runtime/linux/child.h"
#include "runtime/linux/host_check.h"
#include "runtime/linux/jail_conf_lines.h"
#include "runtime/linux/syscalls.h"
#include "runtime/linux/user_namespace.h"
#include "runtime/runtime.h"

namespace ljail::host::linux_ns {
namespace {

constexpr long kOverlayMagic = 0x794c7630;  // statfs(2) f_type of overlayfs
constexpr long kNfsMagic = 0x6969;

std::string OverlayOptions(const std::string& lower, const jail::JailLayout& layout) {
  return fmt::format("lowerdir={},upperdir={},workdir={}", lower, layout.UpperDir(),
                     layout.WorkDir());
}

// The tree's files are written through the overlay, as the jail will see
// them, in a private mount namespace that ends with the child: the host's
// mount table never holds it, and a layer overlayfs refuses fails here,
// at create, rather than at the first start.
void PrepareThroughOverlay(const Host& host, const JailSpec& spec, const jail::JailLayout& layout,
                           const std::string& lower) {
  RunInChild(
      [&] {
        Unshare(CLONE_NEWNS, "a private mount namespace to prepare the tree");
        MakeMountsPrivate();
        Mount({"overlay", host.Real(layout.path), "overlay", 0,
               fmt::format("lowerdir={},upperdir={},workdir={}", host.Real(lower),
                           host.Real(layout.UpperDir()), host.Real(layout.WorkDir()))});
        jail::PrepareLinuxTree(host, spec, layout.path);
      },
      "preparing " + layout.path);
}

// The upper layer is the jail root's to fill: read through the tree API.
bool PreparedInUpper(const Host& host, const JailSpec& spec, const jail::JailLayout& layout,
                     const std::string& lower) {
  std::optional<TreeFs> upper = host.TreeIfExists(layout.UpperDir());
  std::optional<TreeFs> base = host.TreeIfExists(lower);
  if (!upper || !base) return false;
  for (const std::string& dir : jail::MountPointsInTree(spec)) {
    if (!upper->IsDirectory(dir) && !base->IsDirectory(dir)) return false;
  }
  return upper->ReadFile("/etc/hostname").value_or("") == spec.hostname + "\n";
}

}  // namespace

CloneChoice ChooseCloneMethod(const Host& host, const Settings& settings) {
  if (settings.uses_zfs()) return {CloneMethod::kZfs, ""};
  // The kernel's facts, not the --root tree's.
  std::ifstream in("/proc/filesystems");
  std::string filesystems((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  struct utsname u {};
  ::uname(&u);
  // Not loaded yet is fine: the kernel loads the module at the first mount.
  bool module =
      std::filesystem::exists(fmt::format("/lib/modules/{}/kernel/fs/overlayfs", u.release));
  if (filesystems.find("\toverlay\n") == std::string::npos && !module)
    return {CloneMethod::kCopy, "this kernel has no overlayfs"};
  if (settings.jails_dir.find_first_of(",: \t") != std::string::npos)
    return {CloneMethod::kCopy,
            "jails_dir holds a ',', ':' or blank, which overlayfs options cannot carry"};
  std::filesystem::path probe = host.Real(settings.jails_dir);
  while (!std::filesystem::exists(probe) && probe.has_parent_path() && probe != probe.parent_path())
    probe = probe.parent_path();
  struct statfs fs {};
  if (::statfs(probe.c_str(), &fs) == 0) {
    if (fs.f_type == kOverlayMagic)
      return {CloneMethod::kCopy,
              "jails_dir is itself on overlayfs (a container?), which cannot "
              "hold an upper layer"};
    if (fs.f_type == kNfsMagic) return {CloneMethod::kCopy, "jails_dir is on NFS"};
  }
  return {CloneMethod::kOverlay, ""};
}

// What a jail on a Linux host cannot have, refused before anything is
// written: without vnet it shares the host's network stack, addresses and
// interfaces included, and it has no FreeBSD side.
void RefuseFreeBSDOnlyOptions(const jail::CreateOptions& o) {
  const JailSpec& spec = o.spec;
  if (!spec.vnet && !spec.ip4.empty()) {
    ThrowUsage(fmt::format(
        "--ip4 {}: on a Linux host a jail without vnet shares the host's addresses; for an "
        "address of its own give --vnet --ip4 ADDR/LEN (on a bridge, --bridge)",
        spec.ip4.front()));
  }
  if (!spec.interface.empty()) {
    ThrowUsage(fmt::format(
        "--interface {}: a Linux-host jail has no addresses to put on a host interface; with "
        "--vnet it is linked to a bridge (--bridge)",
        spec.interface));
  }
  if (!spec.ip6.empty() && spec.ip6 != "inherit") {
    ThrowUsage(fmt::format(
        "--ip6 {}: on a Linux host a jail shares the host's IPv6 (inherit) or, with --vnet, "
        "has its own network; ljail cannot give it an IPv6 address or take IPv6 away",
        spec.ip6));
  }
  if (!spec.release.empty() || !o.release_file.empty())
    ThrowUsage("--release and --release-file choose a FreeBSD base system: FreeBSD hosts only");
  if (spec.userns && spec.raw_sockets && !spec.vnet) {
    ThrowUsage(
        "--raw-sockets with --userns needs --vnet: root in a user namespace holds no capability "
        "on the host's network, so raw sockets there would be refused at every start");
  }
}

namespace {

// A Linux-host jail: the template's tree itself as the jail's root, an
// overlay over it where the kernel has one, else a clone or a copy.
class LinuxCreate : public jail::CreateHooks {
 public:
  LinuxCreate(const Host& host, const Settings& settings) : host_(host), settings_(settings) {}

  void Check(jail::CreateOptions& o) override {
    RefuseFreeBSDOnlyOptions(o);
    if (o.spec.ip6.empty()) o.spec.ip6 = "inherit";  // the host's network, IPv6 included
  }
  rootfs::TemplateHost Templates() const override { return TemplatePolicy(); }
  jail::ControlFor Control() const override { return &MakeJailControl; }
  std::string LinuxDir(const JailSpec& /*spec*/) const override { return ""; }

  std::vector<Step> BeforeTemplate(JailSpec& /*spec*/, const Storage& storage) override {
    std::vector<Step> steps;
    for (const char* area : {"templates", "containers"}) {
      Step s{fmt::format("storage {}",
                         storage.Kind() == "zfs" ? storage.Dataset(area) : storage.Path(area)),
             storage.Exists(area),
             "",
             {}};
      if (!s.done) s.actions.push_back(storage.Create(area));
      steps.push_back(s);
    }
    return steps;
  }
  std::string Title(const JailSpec& spec, const jail::JailLayout& layout) const override {
    return fmt::format("jail {}: {} {} at {}", spec.name, spec.distro, spec.suite, layout.path);
  }
  std::vector<Step> Tree(const jail::CreateBasis& basis, const jail::JailLayout& layout,
                         const Storage& storage) override;
  void File(jail::JailConfInput& input) const override {
    input.os_lines =
        JailConfLines(input.spec.userns ? ChooseUsernsBase(host_, input.spec.name) : 0);
    input.overlay = overlay_;
  }

 private:
  const Host& host_;
  const Settings& settings_;
  std::string overlay_;  ///< the overlay's options, for the jail's file; "" for a copy
};

std::vector<Step> LinuxCreate::Tree(const jail::CreateBasis& basis, const jail::JailLayout& layout,
                                    const Storage& storage) {
  const JailSpec& spec = basis.spec;
  std::string tname = "templates/" + basis.template_name;
  std::string lower = storage.Path(tname);
  CloneChoice clone = ChooseCloneMethod(host_, settings_);
  Step tree;
  Step prepare{"mount points, hostname, hosts and resolv.conf in the tree", false, "", {}};
  std::string prepare_text = fmt::format(
      "mkdir dev proc sys tmp{} in {} (no symbolic link on the way); write etc/hostname ({}), "
      "etc/hosts, etc/resolv.conf (the host's)",
      spec.shares.empty() ? "" : " and the shared directories", layout.path, spec.hostname);
  if (clone.method == CloneMethod::kOverlay) {
    overlay_ = OverlayOptions(lower, layout);
    tree.title = fmt::format("jail tree {}: overlay of template {} (nothing copied; changes in {})",
                             layout.path, basis.template_name, layout.UpperDir());
    tree.done = host_.IsDirectory(layout.UpperDir()) && host_.IsDirectory(layout.WorkDir()) &&
                host_.IsDirectory(layout.path);
    tree.actions.push_back(Action::Custom(
        fmt::format("mkdir {} {} {}", layout.path, layout.UpperDir(), layout.WorkDir()),
        [layout](const Host& h) {
          h.MakeDirectories(layout.storage_dir, 0700);
          h.MakeDirectories(layout.path, 0755);
          h.MakeDirectories(layout.UpperDir(), 0755);
          h.MakeDirectories(layout.WorkDir(), 0700);
        }));
    prepare.done = tree.done && PreparedInUpper(host_, spec, layout, lower);
    prepare.actions.push_back(Action::Custom(
        "in a private mount namespace: mount -t overlay -o " + overlay_ + " overlay " +
            layout.path + "; " + prepare_text,
        [spec, layout, lower](const Host& h) { PrepareThroughOverlay(h, spec, layout, lower); }));
  } else {
    bool zfs = clone.method == CloneMethod::kZfs;
    tree.title =
        zfs ? fmt::format("jail tree {}: ZFS clone of {}@base", layout.path, storage.Dataset(tname))
            : fmt::format(
                  "jail tree {}: COPY of template {} ({}; reflinks where the "
                  "file system has them)",
                  layout.path, basis.template_name, clone.why);
    std::optional<TreeFs> existing = host_.TreeIfExists(layout.path);
    tree.done = existing && existing->Exists("/var/lib/dpkg/status");
    if (!zfs) {
      tree.actions.push_back(
          Action::Custom("mkdir -p " + layout.storage_dir,
                         [layout](const Host& h) { h.MakeDirectories(layout.storage_dir, 0700); }));
    }
    tree.actions.push_back(storage.Clone(tname, "base", layout.StorageName(), layout.path));
    prepare.done = tree.done && jail::TreePrepared(host_, spec, layout.path);
    prepare.actions.push_back(Action::Custom(
        prepare_text,
        [spec, path = layout.path](const Host& h) { jail::PrepareLinuxTree(h, spec, path); }));
  }
  return {tree, prepare};
}

}  // namespace

Plan MakeCreatePlan(const Host& host, const Settings& settings,
                    const jail::CreateOptions& options) {
  LinuxCreate hooks(host, settings);
  return jail::MakeCreatePlan(host, settings, options, hooks);
}

}  // namespace ljail::host::linux_ns
