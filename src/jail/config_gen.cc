#include "jail/config_gen.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/strings.h"
#include "jail/services.h"
#include "jail/tree_settings.h"
#include "jailconf/writer.h"

namespace ljail::jail {
namespace {

using jailconf::BlockBuilder;
using jailconf::ConfValue;
using jailconf::Literals;

// One mount line, written with $path so that the file stays right if the
// jail's path is ever changed.
// `path` is "$path", or the path itself when it holds a blank: jail(8)
// splits a mount line into fields after expanding $path, so a blank there
// must reach it escaped (freebsd-facts.md §3.1).
ConfValue MountLine(const std::string& path, const std::string& device,
                    const std::string& linux_dir, const std::string& where,
                    const std::string& fstype, const std::string& options) {
  return ConfValue::Expression(fmt::format("{} {}{}{} {} {} 0 0", FstabField(device), path,
                                           FstabField(linux_dir), FstabField(where), fstype,
                                           options));
}

void Identity(const JailConfInput& in, BlockBuilder& b) {
  b.Comment("ljail's own facts about this jail: variables never reach the kernel.");
  b.Variable("ljail_distro", Literals({in.spec.distro}));
  b.Variable("ljail_suite", Literals({in.spec.suite}));
  b.Variable("ljail_template", Literals({in.template_name}));
  if (!in.release.empty()) b.Variable("ljail_release", Literals({in.release}));
  if (!in.layout.linux_dir.empty()) b.Variable("ljail_linux", Literals({in.layout.linux_dir}));
  b.Variable("ljail_version", Literals({LJAIL_VERSION}));
  b.Comment(
      "How the tree's /etc/resolv.conf is kept: copy (the host's, at every start),\n"
      "static:ADDR,... or none. `ljail service` keeps the Linux services started\n"
      "with the jail in $ljail_services.");
  b.Variable("ljail_dns", Literals({in.spec.dns}));
  b.Variable(kServicesVariable, {ConfValue::Literal(Join(in.services, " "))});
  if (!in.partial.empty()) {
    b.Comment(
        "Set up is not finished: the same command run again finishes it (and then\n"
        "removes this line).");
    b.Variable(kPartialVariable, {ConfValue::Literal(in.partial)});
  }
  b.Blank();
  b.Set("host.hostname", Literals({in.spec.hostname}));
  b.Set("path", Literals({in.layout.path}));
}

// The vnet link's facts, read by the Linux runtime (and by doctor).
void VnetVariables(const JailConfInput& in, BlockBuilder& b) {
  if (in.spec.ip4.empty()) return;
  b.Variable("ljail_bridge", Literals({in.spec.bridge}));
  b.Variable("ljail_vnet_ip4", Literals({in.spec.ip4.front()}));
  if (!in.spec.gateway.empty()) b.Variable("ljail_vnet_gateway", Literals({in.spec.gateway}));
}

// A vnet jail on FreeBSD: an epair, its a end on the bridge, its b end
// handed to the jail (vnet.interface) and configured by the jail's own rc
// from its /etc/rc.conf; all made by jail(8) with these host commands
// (freebsd-facts.md §2.2, §2.3) and undone after the jail is removed.
void FreeBSDVnet(const JailConfInput& in, BlockBuilder& b) {
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
                  in.epair, in.spec.bridge, in.epair, in.epair));
  b.Set("vnet");
  VnetVariables(in, b);
  b.Variable("ljail_epair", Literals({in.epair}));
  std::string prefix_len = in.spec.ip4.front().substr(in.spec.ip4.front().find('/'));
  std::string make_bridge =
      "/sbin/ifconfig ${ljail_bridge} >/dev/null 2>&1 || { /sbin/ifconfig bridge create name "
      "${ljail_bridge} descr 'made by ljail' up";
  if (!in.spec.gateway.empty())
    make_bridge += " && /sbin/ifconfig ${ljail_bridge} inet ${ljail_vnet_gateway}" + prefix_len;
  make_bridge += "; }";
  b.Append("exec.prestart", {ConfValue::Expression(make_bridge)});
  b.Append("exec.prestart", {ConfValue::Expression("/sbin/ifconfig ${ljail_epair} create up")});
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

void Network(const JailConfInput& in, BlockBuilder& b) {
  if (in.spec.vnet) {
    FreeBSDVnet(in, b);
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

void LinuxNetwork(const JailConfInput& in, BlockBuilder& b) {
  if (!in.spec.vnet) {
    b.Comment("No vnet: the jail shares the host's network, as ip4/ip6 = inherit would.");
    return;
  }
  b.Blank();
  if (in.spec.ip4.empty()) {
    b.Comment("A network stack of its own (vnet) with only its loopback.");
  } else {
    b.Comment(
        fmt::format("A network stack of its own (vnet): at start ljail links it to the bridge {}\n"
                    "with a veth pair (eth0 inside, {}{}); the pair goes with the jail.",
                    in.spec.bridge, in.spec.ip4.front(),
                    in.spec.gateway.empty() ? "" : ", default route via " + in.spec.gateway));
  }
  b.Set("vnet");
  VnetVariables(in, b);
}

void LinuxUserNamespace(const JailConfInput& in, BlockBuilder& b) {
  if (in.userns_base == 0) return;
  b.Blank();
  b.Comment(
      fmt::format("A user namespace of its own: ids 0-65535 inside are host ids {}-{},\n"
                  "so its root is no user of the host. The tree keeps its ids on disk; the\n"
                  "jail sees it, and its shares, through idmapped mounts.",
                  in.userns_base, in.userns_base + 65535U));
  b.Variable("ljail_userns", Literals({std::to_string(in.userns_base)}));
}

void FreeBSDLifecycle(BlockBuilder& b) {
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
// jexec + chroot once the jail exists (freebsd-facts.md §2.2, §2.3: host
// commands, in order; each must exit 0, so a failing service only warns).
void FreeBSDLinuxHooks(const JailConfInput& in, BlockBuilder& b) {
  const std::string& dir = in.layout.linux_dir;
  b.Blank();
  if (in.spec.dns == "copy") {
    b.Comment(
        "The host's resolvers, copied into the Linux tree at every start: a regular\n"
        "file written from inside (rm + cat), never through a link the tree holds.");
    b.Append("exec.created",
             {ConfValue::Expression(fmt::format(
                 "/usr/sbin/jexec ${{name}} /usr/sbin/chroot {} /bin/sh -c '{}' < /etc/resolv.conf",
                 dir, kReplaceResolvConf))});
  }
  b.Comment(
      "The Linux services of $ljail_services, with the tree's own init scripts:\n"
      "started after the jail starts, stopped in reverse order before it stops.");
  b.Append("exec.poststart", {ConfValue::Expression(FreeBSDServicesStart(dir))});
  b.Append("exec.prestop", {ConfValue::Expression(FreeBSDServicesStop(dir))});
}

void LinuxMounts(const JailConfInput& in, BlockBuilder& b) {
  const std::string& dir = in.layout.linux_dir;
  const std::string path = FstabField(in.layout.path) == in.layout.path
                               ? std::string("$path")
                               : FstabField(in.layout.path);
  bool shared_tmp = std::any_of(in.spec.shares.begin(), in.spec.shares.end(),
                                [](const Share& s) { return s.jail_dir == "/tmp"; });
  b.Blank();
  b.Comment(
      fmt::format("The {} file systems, mounted in this order and unmounted\n"
                  "in reverse: dev first, then dev/shm and dev/fd on it.",
                  dir.empty() ? "jail's" : dir + " tree's"));
  if (in.os == host::HostOs::kFreeBSD) {
    b.Comment(fmt::format(
        "Its devfs uses ruleset {}: the jail ruleset plus the shm directory the\n"
        "Linux ABI adds, which ruleset 4 hides. A devfs line without ruleset=\n"
        "would show the jail every device of the host (jail(8) mount.devfs, devfs.rules(5)).",
        in.devfs_ruleset));
  }
  std::string devfs_options =
      in.os == host::HostOs::kFreeBSD ? fmt::format("rw,ruleset={}", in.devfs_ruleset) : "rw";
  if (!in.overlay.empty()) {
    b.Comment(
        fmt::format("First the tree itself: template {} read-only below,\n"
                    "this jail's own changes in upper/ (overlayfs: a new jail copies nothing).",
                    in.template_name));
    b.Append("mount", {ConfValue::Expression(
                          fmt::format("overlay $path overlay {} 0 0", FstabField(in.overlay)))});
  }
  b.Append("mount", {MountLine(path, "devfs", dir, "/dev", "devfs", devfs_options)});
  b.Append("mount", {MountLine(path, "tmpfs", dir, "/dev/shm", "tmpfs", "rw,size=1g,mode=1777")});
  b.Append("mount", {MountLine(path, "fdescfs", dir, "/dev/fd", "fdescfs", "rw,linrdlnk")});
  b.Append("mount", {MountLine(path, "linprocfs", dir, "/proc", "linprocfs", "rw")});
  b.Append("mount", {MountLine(path, "linsysfs", dir, "/sys", "linsysfs", "rw")});
  if (!shared_tmp) {
    b.Comment("A private /tmp (the Handbook shares the host's /tmp with every jail).");
    b.Append("mount", {MountLine(path, "tmpfs", dir, "/tmp", "tmpfs", "rw,mode=1777")});
  }
  if (!in.spec.shares.empty()) {
    b.Comment(
        "Host directories shared on request (--share): the same host files for\n"
        "every jail that shares them.");
    std::vector<Share> shares = in.spec.shares;
    // A parent before what is mounted inside it.
    std::stable_sort(shares.begin(), shares.end(), [](const Share& a, const Share& b2) {
      return a.jail_dir.size() < b2.jail_dir.size();
    });
    for (const Share& s : shares) {
      b.Append("mount",
               {MountLine(path, s.host_dir, dir, s.jail_dir, "nullfs", s.read_only ? "ro" : "rw")});
    }
  }
}

}  // namespace

std::string FstabField(const std::string& path) {
  std::string out;
  for (char c : path) {
    if (c == ' ') {
      out += "\\040";
    } else if (c == '\t') {
      out += "\\011";
    } else {
      out += c;
    }
  }
  return out;
}

std::string GenerateJailConf(const JailConfInput& in) {
  BlockBuilder b;
  Identity(in, b);
  if (in.os == host::HostOs::kFreeBSD) Network(in, b);
  if (in.os == host::HostOs::kFreeBSD) FreeBSDLifecycle(b);
  if (in.os == host::HostOs::kFreeBSD) FreeBSDLinuxHooks(in, b);
  if (in.os == host::HostOs::kLinux) {
    b.Blank();
    b.Comment("Alive with no process: ljail's keeper holds the namespaces until `ljail stop`.");
    b.Set("persist");
    LinuxNetwork(in, b);
    LinuxUserNamespace(in, b);
  }
  if (in.spec.raw_sockets) {
    b.Blank();
    b.Comment(
        "Raw sockets for the jail's root (ping). Linux users ping through a setuid\n"
        "ping: FreeBSD has no unprivileged ICMP sockets (jail(8), allow.raw_sockets).");
    b.Set("allow.raw_sockets");
  }
  LinuxMounts(in, b);
  std::string header = fmt::format(
      "# {}: {} {} {} at {}.\n"
      "# Written by ljail {}; `ljail conf show {}` shows it as jail(8) reads it.\n"
      "# Edits are kept: ljail changes only the lines it manages.\n",
      in.layout.name,
      in.os == host::HostOs::kFreeBSD ? "a FreeBSD " + in.release + " jail carrying" : "a jail of",
      in.spec.distro == "ubuntu" ? "Ubuntu" : "Debian", in.spec.suite,
      in.os == host::HostOs::kFreeBSD ? in.layout.linux_dir : in.layout.LinuxTree(), LJAIL_VERSION,
      in.layout.name);
  return header + jailconf::FormatJailBlock(in.layout.name, b);
}

}  // namespace ljail::jail
