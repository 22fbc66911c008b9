#include "runtime/freebsd/jail_conf_lines.h"

#include <fmt/format.h>

#include "jail/services.h"
#include "jail/tree_settings.h"

namespace ljail::host::freebsd {
namespace {

using jail::JailConfInput;
using jail::VnetVariables;
using jailconf::BlockBuilder;
using jailconf::ConfValue;
using jailconf::Literals;

// A vnet jail on FreeBSD: an epair, its a end on the bridge, its b end
// handed to the jail (vnet.interface) and configured by the jail's own rc
// from its /etc/rc.conf; all made by jail(8) with these host commands
// (docs/freebsd.md §2.2, §2.3) and undone after the jail is removed.
void Vnet(const JailConfInput& in, const std::string& epair, BlockBuilder& b) {
  b.Blank();
  if (in.spec.ip4.empty()) {
    b.Comment("A network stack of its own (vnet) with only its loopback.");
    b.Set("vnet");
    return;
  }
  b.Comment(
      fmt::format("A network stack of its own (vnet): {}a joins the bridge {}, {}b is the\n"
                  "jail's, configured by its own rc (ifconfig_{}b and defaultrouter in the jail's\n"
                  "/etc/rc.conf). A bridge ljail made (described so) goes with its last member.",
                  epair, in.spec.bridge, epair, epair));
  b.Set("vnet");
  VnetVariables(in.spec, b);
  b.Variable("ljail_epair", Literals({epair}));
  std::string prefix_len = in.spec.ip4.front().substr(in.spec.ip4.front().find('/'));
  std::string make_bridge =
      "/sbin/ifconfig ${ljail_bridge} >/dev/null 2>&1 || { /sbin/ifconfig bridge create name "
      "${ljail_bridge} descr 'made by ljail' up >/dev/null";
  if (!in.spec.gateway.empty())
    make_bridge += " && /sbin/ifconfig ${ljail_bridge} inet ${ljail_vnet_gateway}" + prefix_len;
  make_bridge += "; }";
  b.Append("exec.prestart", {ConfValue::Expression(make_bridge)});
  // jail(8) does not undo exec.prestart when a later step fails (command.c
  // next_command): an epair left by such a start is destroyed first, or
  // every later start would fail on it.
  b.Append("exec.prestart",
           {ConfValue::Expression("/sbin/ifconfig ${ljail_epair}a destroy 2>/dev/null; "
                                  "/sbin/ifconfig ${ljail_epair} create up >/dev/null")});
  b.Append("exec.prestart",
           {ConfValue::Expression("/sbin/ifconfig ${ljail_epair}a descr jail:${name} up")});
  b.Append("exec.prestart",
           {ConfValue::Expression("/sbin/ifconfig ${ljail_bridge} addm ${ljail_epair}a")});
  b.Set("vnet.interface", {ConfValue::Expression("${ljail_epair}b")});
  b.Append("exec.poststop", {ConfValue::Expression("/sbin/ifconfig ${ljail_epair}a destroy")});
  b.Append("exec.poststop",
           {ConfValue::Expression(
               "if /sbin/ifconfig ${ljail_bridge} | grep -q 'description: made by ljail' && ! "
               "/sbin/ifconfig ${ljail_bridge} | grep -q 'member:'; then /sbin/ifconfig "
               "${ljail_bridge} destroy; fi")});
}

void Network(const JailConfInput& in, const std::string& epair, BlockBuilder& b) {
  if (in.spec.vnet) {
    Vnet(in, epair, b);
    return;
  }
  b.Blank();
  if (in.spec.ip4.empty()) {
    b.Comment(
        "No address given: share the host's IPv4 stack. Without ip4, a new jail\n"
        "gets none at all (jail(8), ip4).");
    b.Set("ip4", Literals({"inherit"}));
  } else {
    if (!in.spec.interface.empty()) {
      b.Comment("jail(8) adds the addresses to this interface when the jail starts.");
      b.Set("interface", Literals({in.spec.interface}));
    }
    b.Set("ip4.addr", Literals(in.spec.ip4));
  }
  if (in.spec.ip6 == "disable") {
    b.Comment(
        "IPv6 off on request. Linux programs that open an IPv6 socket get errno 93\n"
        "(EPROTONOSUPPORT) here and some give up (Jupyter): prison_check_af() in\n"
        "sys/kern/kern_jail.c.");
    b.Set("ip6", Literals({"disable"}));
  } else if (in.spec.ip6 == "inherit") {
    b.Comment(
        "ip6 is set on purpose: a jail without IPv6 makes Linux programs fail\n"
        "socket(AF_INET6) with errno 93, which Jupyter does not survive\n"
        "(prison_check_af() in sys/kern/kern_jail.c). inherit shares the host's IPv6.");
    b.Set("ip6", Literals({"inherit"}));
  } else {
    b.Set("ip6.addr", Literals({in.spec.ip6}));
  }
}

void Lifecycle(BlockBuilder& b) {
  b.Blank();
  b.Comment(
      "FreeBSD's own rc starts and stops the jail. persist keeps it alive with no\n"
      "process, so `ljail shell` can always enter it (jail(8), persist).");
  b.Set("exec.start", Literals({"/bin/sh /etc/rc"}));
  b.Set("exec.stop", Literals({"/bin/sh /etc/rc.shutdown"}));
  b.Set("exec.clean");
  b.Set("persist");
  b.Blank();
  b.Comment("The FreeBSD side's /dev, with the jail ruleset of /etc/defaults/devfs.rules.");
  b.Set("mount.devfs");
  b.Set("devfs_ruleset", Literals({"4"}));
}

// The Linux side's own start and stop, run by jail(8) on the host with
// jexec + chroot once the jail exists (docs/freebsd.md §2.2, §2.3: host
// commands, in order; each must exit 0, so a failing service only warns).
void LinuxHooks(const JailConfInput& in, BlockBuilder& b) {
  const std::string& dir = in.layout.linux_dir;
  b.Blank();
  if (in.spec.dns == "copy") {
    b.Comment(
        "The host's resolvers, copied into the Linux tree at every start: a regular\n"
        "file written from inside (rm + cat), never through a link the tree holds.");
    b.Append("exec.created",
             {ConfValue::Expression(fmt::format(
                 "/usr/sbin/jexec ${{name}} /usr/sbin/chroot {} /bin/sh -c '{}' < /etc/resolv.conf",
                 dir, jail::kReplaceResolvConf))});
  }
  b.Comment(
      "The Linux services of $ljail_services, with the tree's own init scripts:\n"
      "started after the jail starts, stopped in reverse order before it stops.");
  b.Append("exec.poststart", {ConfValue::Expression(jail::FreeBSDServicesStart(dir))});
  b.Append("exec.prestop", {ConfValue::Expression(jail::FreeBSDServicesStop(dir))});
}

// The exec.prestart and exec.poststop lines that turn $ljail_rctl into
// rctl(8) rules of the jail, and remove them when it stops. Rules left by
// a stop that never ran go first; a rule rctl refuses (kern.racct.enable=0)
// fails the start rather than run the jail unlimited.
constexpr const char* kRctlStart =
    "/usr/bin/rctl -r jail:${name} 2>/dev/null; for r in ${ljail_rctl}; do "
    "/usr/bin/rctl -a jail:${name}:$${r%%=*}:deny=$${r#*=} || exit 1; done";
constexpr const char* kRctlStop = "/usr/bin/rctl -r jail:${name} 2>/dev/null || true";

class FreeBSDConfEdits : public jail::OsConfEdits {
 public:
  bool JailsHaveAddresses() const override { return true; }
  void KeepLimits(jailconf::ConfigDocument& doc, const std::string& jail) const override {
    if (doc.text().find("${ljail_rctl}") != std::string::npos) return;
    doc.AppendParam(jail, "exec.prestart", {ConfValue::Expression(kRctlStart)});
    doc.AppendParam(jail, "exec.poststop", {ConfValue::Expression(kRctlStop)});
  }
  void KeepServices(jailconf::ConfigDocument& doc, const std::string& jail,
                    const std::string& linux_dir) const override {
    if (doc.text().find("${ljail_services}") != std::string::npos) return;
    doc.AppendParam(jail, "exec.poststart",
                    {ConfValue::Expression(jail::FreeBSDServicesStart(linux_dir))});
    doc.AppendParam(jail, "exec.prestop",
                    {ConfValue::Expression(jail::FreeBSDServicesStop(linux_dir))});
  }
};

class FreeBSDConfLines : public jail::OsConfLines {
 public:
  FreeBSDConfLines(std::string release, int ruleset, std::string epair)
      : release_(std::move(release)), ruleset_(ruleset), epair_(std::move(epair)) {}
  std::string What() const override { return fmt::format("a FreeBSD {} jail carrying", release_); }
  void Facts(BlockBuilder& b) const override {
    if (!release_.empty()) b.Variable("ljail_release", Literals({release_}));
  }
  std::string TreeShown(const jail::JailLayout& layout) const override { return layout.linux_dir; }
  void Block(const JailConfInput& in, BlockBuilder& b) const override {
    Network(in, epair_, b);
    Lifecycle(b);
    LinuxHooks(in, b);
  }
  std::string DevfsOptions() const override { return fmt::format("rw,ruleset={}", ruleset_); }
  void DevfsComment(BlockBuilder& b) const override {
    b.Comment(fmt::format(
        "Its devfs uses ruleset {}: the jail ruleset plus the shm directory the\n"
        "Linux ABI adds, which ruleset 4 hides. A devfs line without ruleset=\n"
        "would show the jail every device of the host (jail(8) mount.devfs, devfs.rules(5)).",
        ruleset_));
  }

 private:
  std::string release_;
  int ruleset_;
  std::string epair_;
};

}  // namespace

std::shared_ptr<const jail::OsConfLines> JailConfLines(const std::string& release, int ruleset,
                                                       const std::string& epair) {
  return std::make_shared<FreeBSDConfLines>(release, ruleset, epair);
}

const jail::OsConfEdits& JailConfEdits() {
  static const FreeBSDConfEdits kEdits;
  return kEdits;
}

}  // namespace ljail::host::freebsd
