#include "runtime/linux/host_check.h"

#include <fmt/format.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/error.h"
#include "core/strings.h"
#include "rootfs/bootstrap.h"
#include "runtime/linux/jail_create.h"

namespace ljail::host::linux_ns {
namespace {

// A step ljail cannot do for the user: running it says what to do instead.
Step Manual(std::string title, bool done, std::string detail, const std::string& fix) {
  Step s{std::move(title), done, std::move(detail), {}};
  if (!done) {
    s.actions.push_back(
        Action::Custom(fix, [fix](const Host&) { ThrowFailure("ljail cannot do this: " + fix); }));
  }
  return s;
}

Step Install(std::string title, bool done, std::string detail, std::vector<std::string> pkgs) {
  Step s{std::move(title), done, std::move(detail), {}};
  if (!done) {
    Command c{"apt-get", "install", "-y", "--no-install-recommends"};
    c.argv.insert(c.argv.end(), pkgs.begin(), pkgs.end());
    s.actions.push_back(Action::RunWithProgress(c.Env("DEBIAN_FRONTEND", "noninteractive")));
  }
  return s;
}

// Kernel facts come from the running kernel, never from the --root tree.
std::string KernelFileSystems() {
  std::ifstream in("/proc/filesystems");
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// (major, minor) of the running kernel.
std::pair<int, int> KernelVersion(std::string* release) {
  struct utsname u {};
  ::uname(&u);
  *release = u.release;
  std::string_view text = u.release;
  size_t dot = text.find('.');
  return {LeadingInt(text).value_or(0),
          dot == std::string_view::npos ? 0 : LeadingInt(text.substr(dot + 1)).value_or(0)};
}

}  // namespace

Plan MakeLinuxHostCheck(const Host& host, const Settings& settings) {
  Plan plan;
  plan.title = "Linux host: what ljail's namespace runtime needs";
  bool root = ::geteuid() == 0;
  plan.steps.push_back(Manual("running as root", root,
                              root ? "" : "namespaces and mounts need root",
                              "run ljail as root (sudo)"));

  std::string release;
  auto [major, minor] = KernelVersion(&release);
  // pidfd_open(2) (5.3) makes stop race-free against PID reuse.
  bool recent = major > 5 || (major == 5 && minor >= 3);
  plan.steps.push_back(Manual("kernel 5.3 or later (pidfd)", recent, "running " + release,
                              "boot a Linux kernel 5.3 or later"));

  std::vector<std::string> missing_ns;
  for (const char* ns : {"mnt", "uts", "ipc", "pid", "net"}) {
    if (!std::filesystem::exists(fmt::format("/proc/self/ns/{}", ns))) missing_ns.push_back(ns);
  }
  plan.steps.push_back(Manual("namespaces: mnt uts ipc pid net", missing_ns.empty(),
                              missing_ns.empty() ? "" : "missing: " + Join(missing_ns, " "),
                              "a kernel built with CONFIG_NAMESPACES and its parts"));

  std::string filesystems = KernelFileSystems();
  std::vector<std::string> missing_fs;
  for (const char* fs : {"proc", "sysfs", "tmpfs", "devpts"}) {
    if (filesystems.find(fmt::format("\t{}\n", fs)) == std::string::npos) missing_fs.push_back(fs);
  }
  plan.steps.push_back(Manual("file systems: proc sysfs tmpfs devpts", missing_fs.empty(),
                              missing_fs.empty() ? "" : "missing: " + Join(missing_fs, " "),
                              "a kernel with " + Join(missing_fs, ", ")));

  CloneChoice clone = ChooseCloneMethod(host, settings);
  // A copy still works: this check is informational, its detail says why.
  plan.steps.push_back(Manual("new jails cloned in O(1)", true,
                              clone.method == CloneMethod::kOverlay ? "overlayfs"
                              : clone.method == CloneMethod::kZfs
                                  ? "ZFS clones"
                                  : "NO: plain copies, because " + clone.why,
                              ""));

  std::string mm = rootfs::ToolVersion(host, "mmdebstrap");
  std::string deb = rootfs::ToolVersion(host, "debootstrap");
  plan.steps.push_back(Install("bootstrap tool: mmdebstrap (or debootstrap)",
                               !mm.empty() || !deb.empty(), !mm.empty() ? mm : deb,
                               {"mmdebstrap"}));
  std::string keyring = rootfs::DefaultKeyring(TemplatePolicy().keyring_dir, "debian");
  plan.steps.push_back(Install("Debian archive keyring " + keyring, host.Exists(keyring), "",
                               {"debian-archive-keyring"}));

  return plan;
}

rootfs::TemplateHost TemplatePolicy() {
  rootfs::TemplateHost t;
  t.debian_arch = [](const Host&) {
    struct utsname u {};
    ::uname(&u);
    return std::string_view(u.machine) == "aarch64" ? std::string("arm64") : std::string("amd64");
  };
  t.host_apt_mirror = true;
  t.mmdebstrap = true;
  t.install_hint = "apt-get install mmdebstrap";
  t.tools_see_real_paths = true;
  return t;
}

}  // namespace ljail::host::linux_ns
