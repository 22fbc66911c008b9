#include "host/runtime.h"

#include "core/error.h"
#include "host/freebsd/jail_create.h"
#include "host/freebsd/jail_lifecycle.h"
#include "host/linux/jail_create.h"
#include "host/linux/jail_lifecycle.h"

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
  void Start(const jail::JailRecord& jail, std::ostream& out) const override {
    linux_ns::StartJail(host_, jail, out);
  }
  void Stop(const jail::JailRecord& jail, std::ostream& out) const override {
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

 private:
  const Host& host_;
};

}  // namespace

std::unique_ptr<Runtime> MakeRuntime(const Host& host) {
  if (host.os() == HostOs::kFreeBSD) return std::make_unique<FreeBSDRuntime>(host);
  return std::make_unique<LinuxRuntime>(host);
}

}  // namespace ljail::host
