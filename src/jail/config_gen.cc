#include "jail/config_gen.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/strings.h"
#include "jail/services.h"
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
// must reach it escaped (docs/freebsd.md §3.1).
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
  in.os_lines->Facts(b);
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
  in.os_lines->DevfsComment(b);
  const std::string devfs_options = in.os_lines->DevfsOptions();
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

void VnetVariables(const JailSpec& spec, BlockBuilder& b) {
  if (spec.ip4.empty()) return;
  b.Variable("ljail_bridge", Literals({spec.bridge}));
  b.Variable("ljail_vnet_ip4", Literals({spec.ip4.front()}));
  if (!spec.gateway.empty()) b.Variable("ljail_vnet_gateway", Literals({spec.gateway}));
}

std::string GenerateJailConf(const JailConfInput& in) {
  BlockBuilder b;
  Identity(in, b);
  in.os_lines->Block(in, b);
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
      in.layout.name, in.os_lines->What(), in.spec.distro == "ubuntu" ? "Ubuntu" : "Debian",
      in.spec.suite, in.os_lines->TreeShown(in.layout), LJAIL_VERSION, in.layout.name);
  return header + jailconf::FormatJailBlock(in.layout.name, b);
}

}  // namespace ljail::jail
