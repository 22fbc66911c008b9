#include "host/runtime.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/strings.h"
#include "host/freebsd/jail_create.h"
#include "host/freebsd/jail_lifecycle.h"
#include "host/freebsd/rctl.h"
#include "host/linux/cgroup.h"
#include "host/linux/jail_create.h"
#include "host/linux/jail_lifecycle.h"
#include "host/linux/keeper.h"
#include "jail/linux_setup.h"
#include "jail/services.h"
#include "jail/tree_settings.h"

namespace ljail::host {
namespace {

class FreeBSDRuntime : public Runtime {
 public:
  explicit FreeBSDRuntime(const Host& host) : host_(host) {}
  std::string IdName() const override { return "jid"; }
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
    std::vector<JailState> out;
    for (freebsd::JailStatus& s : freebsd::ListJailStatus(host_, settings)) {
      out.push_back({std::move(s.record), s.running.has_value(), s.running ? s.running->jid : 0,
                     s.storage_present, s.origin});
    }
    return out;
  }
  bool IsRunning(const jail::JailRecord& jail) const override {
    return freebsd::IsRunning(host_, jail.name);
  }
  void CheckLimits(const ResourceLimits& limits) const override {
    freebsd::CheckRctl(host_, limits);
  }
  void ApplyLimits(const jail::JailRecord& jail) const override { freebsd::ApplyRctl(host_, jail); }
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

 private:
  const Host& host_;
};

class LinuxRuntime : public Runtime {
 public:
  explicit LinuxRuntime(const Host& host) : host_(host) {}
  std::string IdName() const override { return "keeper_pid"; }
  Plan CreatePlan(const Settings& settings, const jail::CreateOptions& options) const override {
    return linux_ns::MakeCreatePlan(host_, settings, options);
  }
  Plan DestroyPlan(const Settings& settings, const jail::JailRecord& jail, bool) const override {
    return linux_ns::MakeDestroyPlan(host_, settings, jail);
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
  ProcessResult RunInTree(const jail::JailRecord& jail, const std::vector<std::string>& argv,
                          const std::string& input, const std::string& user) const override {
    return linux_ns::RunInTree(host_, jail, argv, input, user);
  }
  TreeFs RunningTree(const jail::JailRecord& jail) const override {
    return linux_ns::RunningTree(host_, jail);
  }

 private:
  const Host& host_;
};

}  // namespace

std::string Runtime::ReadRunningTreeFile(const jail::JailRecord& jail, const std::string& path,
                                         size_t limit) const {
  return RunningTree(jail).ReadFile(path, limit).value_or("");
}

ProcessResult Runtime::MustInTree(const jail::JailRecord& jail,
                                  const std::vector<std::string>& argv, const std::string& what,
                                  const std::string& input) const {
  ProcessResult r = RunInTree(jail, argv, input);
  if (r.exit_code != 0) {
    std::string said = Trim(r.err.empty() ? r.out : r.err);
    ThrowFailure(fmt::format("{}: {}: {} exited {}{}", jail.name, what, argv.front(), r.exit_code,
                             said.empty() ? "" : ": " + said));
  }
  return r;
}

std::unique_ptr<Runtime> MakeRuntime(const Host& host) {
  if (host.os() == HostOs::kFreeBSD) return std::make_unique<FreeBSDRuntime>(host);
  return std::make_unique<LinuxRuntime>(host);
}

}  // namespace ljail::host
