#include "runtime/runtime.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/strings.h"
#include "jail/linux_setup.h"
#include "jail/services.h"
#include "jail/tree_settings.h"
#include "runtime/freebsd/doctor_checks.h"
#include "runtime/freebsd/host_setup.h"
#include "runtime/freebsd/jail_conf_lines.h"
#include "runtime/freebsd/jail_create.h"
#include "runtime/freebsd/jail_lifecycle.h"
#include "runtime/freebsd/mounts.h"
#include "runtime/freebsd/rctl.h"
#include "runtime/freebsd/release.h"
#include "runtime/freebsd/system.h"
#include "runtime/linux/cgroup.h"
#include "runtime/linux/doctor_checks.h"
#include "runtime/linux/host_check.h"
#include "runtime/linux/jail_conf_lines.h"
#include "runtime/linux/jail_create.h"
#include "runtime/linux/jail_lifecycle.h"
#include "runtime/linux/keeper.h"

namespace ljail::host {
namespace {

class FreeBSDRuntime : public Runtime {
 public:
  explicit FreeBSDRuntime(const Host& host) : host_(host) {}
  Plan CreatePlan(const Settings& settings, const jail::CreateOptions& options) const override {
    return freebsd::MakeCreatePlan(host_, settings, options);
  }
  Plan DestroyPlan(const Settings& settings, const jail::JailRecord& jail,
                   bool force) const override {
    return freebsd::MakeDestroyPlan(host_, settings, jail, force);
  }
  std::vector<std::string> DescribeStart(const jail::JailRecord& jail) const override {
    return {ShellQuote(freebsd::ServiceJail("start", jail.name).argv)};
  }
  void Start(const jail::JailRecord& jail, std::ostream& out) const override {
    freebsd::StartJail(host_, jail, out);
  }
  void Stop(const jail::JailRecord& jail, std::ostream& out) const override {
    freebsd::StopJail(host_, jail, out);
  }
  int Enter(const jail::JailRecord& jail, const std::string& user,
            const std::vector<std::string>& argv, bool freebsd_side) const override {
    return freebsd::EnterJail(host_, jail, user, argv, freebsd_side);
  }
  std::vector<JailState> List(const Settings& settings) const override {
    return freebsd::ListJailStatus(host_, settings);
  }
  bool IsRunning(const jail::JailRecord& jail) const override {
    return freebsd::IsRunning(host_, jail.name);
  }
  void CheckLimits(const ResourceLimits& limits) const override {
    freebsd::CheckRctl(host_, limits);
  }
  void ApplyLimits(const jail::JailRecord& jail) const override { freebsd::ApplyRctl(host_, jail); }
  rootfs::TemplateHost TemplatePolicy() const override { return freebsd::TemplatePolicy(); }
  const jail::OsConfEdits& ConfEdits() const override { return freebsd::JailConfEdits(); }
  HostSetup SetupPlan(const HostSetupOptions& options) const override {
    freebsd::HostSetup setup = freebsd::MakeHostSetup(host_, options);
    freebsd::HostFacts& f = setup.facts;
    return {std::move(setup.plan), "freebsd",        f.release.full,       f.arch,
            std::move(f.pools),    f.settings_found, std::move(f.settings)};
  }
  ProcessResult RunInTree(const jail::JailRecord& jail, const std::vector<std::string>& argv,
                          const std::string& input, const std::string& user) const override {
    if (!IsRunning(jail)) jail::ThrowNotRunning(jail.name);
    jail::LinuxUser who = freebsd::TreeUser(host_, jail, user);
    Command c = freebsd::LinuxExecCommand(jail.name, jail.linux_dir, who,
                                          jail::LoginEnvironment(who, "", "C.UTF-8"), "/", argv);
    if (!input.empty()) c.Input(input);
    return host_.Run(c);
  }
  // The host sees the jail's tree and its nullfs mounts where the jail does.
  TreeFs RunningTree(const jail::JailRecord& jail) const override {
    if (!IsRunning(jail)) jail::ThrowNotRunning(jail.name);
    return host_.Tree(jail.LinuxTree());
  }
  // The tree's dataset or directory is mounted whether the jail runs or not.
  TreeFs RestingTree(const jail::JailRecord& jail) const override {
    return host_.Tree(jail.LinuxTree());
  }
  Plan ReleaseFetchPlan(const Settings& settings, rootfs::ReleaseRequest request) const override {
    if (request.arch.empty()) request.arch = settings.arch;
    freebsd::ValidateReleaseRequest(request);
    return freebsd::MakeReleaseFetchPlan(host_, settings, request);
  }
  std::vector<rootfs::ReleaseTemplate> ReleaseTemplates(const Settings& settings) const override {
    return freebsd::ListReleaseTemplates(host_, settings);
  }
  std::vector<Finding> HostFindings() const override { return freebsd::HostFindings(host_); }
  std::vector<Finding> ConfinementFindings(const jail::JailRecord&) const override { return {}; }
  std::vector<MountEntry> MountsSeen(const jail::JailRecord&) const override {
    return freebsd::Mounts(host_);
  }
  LinuxLayer LinuxLayerFacts() const override { return {true, freebsd::IgnoresIpRecverr(host_)}; }

 private:
  const Host& host_;
};

[[noreturn]] void ThrowNoReleases() {
  ThrowFailure("release templates are FreeBSD userlands for FreeBSD hosts; this is Linux");
}

class LinuxRuntime : public Runtime {
 public:
  explicit LinuxRuntime(const Host& host) : host_(host) {}
  Plan CreatePlan(const Settings& settings, const jail::CreateOptions& options) const override {
    return linux_ns::MakeCreatePlan(host_, settings, options);
  }
  Plan DestroyPlan(const Settings& settings, const jail::JailRecord& jail,
                   bool force) const override {
    return linux_ns::MakeDestroyPlan(host_, settings, jail, force);
  }
  std::vector<std::string> DescribeStart(const jail::JailRecord& jail) const override {
    return linux_ns::DescribeStart(host_, jail);
  }
  // What jail(8) does with the exec.created/poststart/prestop lines of a
  // FreeBSD jail's file, the runtime does here: resolv.conf, services.
  void Start(const jail::JailRecord& jail, std::ostream& out) const override {
    if (!linux_ns::StartJail(host_, jail, out)) return;
    if (jail.dns == "copy") jail::WriteResolvConf(host_, *this, jail, jail::DnsMode{});
    jail::StartServices(*this, jail, out);
  }
  void Stop(const jail::JailRecord& jail, std::ostream& out) const override {
    if (IsRunning(jail)) jail::StopServices(*this, jail, out);
    linux_ns::StopJail(host_, jail, out);
  }
  int Enter(const jail::JailRecord& jail, const std::string& user,
            const std::vector<std::string>& argv, bool freebsd_side) const override {
    if (freebsd_side) ThrowUsage("--freebsd: a jail on a Linux host has no FreeBSD side");
    return linux_ns::EnterJail(host_, jail, user, argv);
  }
  std::vector<JailState> List(const Settings&) const override {
    return linux_ns::ListJailStatus(host_);
  }
  bool IsRunning(const jail::JailRecord& jail) const override {
    return linux_ns::RunningKeeper(host_, jail.name).has_value();
  }
  void CheckLimits(const ResourceLimits& limits) const override {
    linux_ns::JailCgroup::At("").CheckLimits(limits);
  }
  void ApplyLimits(const jail::JailRecord& jail) const override {
    linux_ns::JailCgroup::At(linux_ns::JailCgroupPath(host_.root().prefix(), jail.name))
        .Apply(jail.limits);
  }
  rootfs::TemplateHost TemplatePolicy() const override { return linux_ns::TemplatePolicy(); }
  const jail::OsConfEdits& ConfEdits() const override { return linux_ns::JailConfEdits(); }
  HostSetup SetupPlan(const HostSetupOptions& options) const override {
    if (options.zfs_root || options.jails_dir || options.release) {
      ThrowUsage(
          "--zfs-root, --jails-dir and --release are for FreeBSD hosts; on Linux, set "
          "jails_dir in " +
          std::string(kSettingsPath));
    }
    HostSetup setup;
    setup.os = "linux";
    setup.settings = LoadHostSettings(host_, &setup.settings_found);
    setup.plan = linux_ns::MakeLinuxHostCheck(host_, setup.settings);
    return setup;
  }
  ProcessResult RunInTree(const jail::JailRecord& jail, const std::vector<std::string>& argv,
                          const std::string& input, const std::string& user) const override {
    return linux_ns::RunInTree(host_, jail, argv, input, user);
  }
  TreeFs RunningTree(const jail::JailRecord& jail) const override {
    return linux_ns::RunningTree(host_, jail);
  }
  TreeFs RestingTree(const jail::JailRecord& jail) const override {
    return linux_ns::RestingTree(host_, jail);
  }
  Plan ReleaseFetchPlan(const Settings&, rootfs::ReleaseRequest) const override {
    ThrowNoReleases();
  }
  std::vector<rootfs::ReleaseTemplate> ReleaseTemplates(const Settings&) const override {
    ThrowNoReleases();
  }
  std::vector<Finding> HostFindings() const override { return {}; }
  std::vector<Finding> ConfinementFindings(const jail::JailRecord& jail) const override {
    return linux_ns::ConfinementFindings(*this, jail);
  }
  std::vector<MountEntry> MountsSeen(const jail::JailRecord& jail) const override {
    return linux_ns::MountsSeen(*this, jail);
  }
  LinuxLayer LinuxLayerFacts() const override { return {false, std::nullopt}; }

 private:
  const Host& host_;
};

}  // namespace

std::unique_ptr<Runtime> MakeRuntime(const Host& host) {
  if (host.os() == HostOs::kFreeBSD) return std::make_unique<FreeBSDRuntime>(host);
  return std::make_unique<LinuxRuntime>(host);
}

std::unique_ptr<jail::JailControl> MakeJailControl(const Host& host) { return MakeRuntime(host); }

}  // namespace ljail::host
