#include "runtime/linux/jail_lifecycle.h"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <ostream>

#include "core/error.h"
#include "core/mount_table.h"
#include "core/strings.h"
#include "jail/destroy_common.h"
#include "jail/layout.h"
#include "jail/tree_settings.h"
#include "runtime/linux/cgroup.h"
#include "runtime/linux/enter.h"
#include "runtime/linux/keeper.h"
#include "runtime/linux/mount_translation.h"
#include "runtime/linux/syscalls.h"
#include "runtime/linux/vnet_link.h"

namespace ljail::host::linux_ns {
namespace {

// The jail's spec for a stop or a destroy; nullopt when its file has
// been broken since the start, which must not keep the jail alive.
std::optional<RuntimeSpec> SpecIfReadable(const Host& host, const jail::JailRecord& jail) {
  try {
    return RuntimeSpecOf(host, jail);
  } catch (const Error&) {
    return std::nullopt;
  }
}

// stop.timeout, or jail(8)'s default when the file cannot say.
int StopTimeout(const std::optional<RuntimeSpec>& spec) { return spec ? spec->stop_timeout : 10; }

}  // namespace

RuntimeSpec RuntimeSpecOf(const Host& host, const jail::JailRecord& jail) {
  if (!jail.block) {
    std::string why;
    for (const std::string& p : jail.problems) why += "\n" + p;
    ThrowUsage(fmt::format("{}: jail(8) would refuse this jail:{}", jail.name,
                           why.empty() ? " no such jail in " + jail.config_file : why));
  }
  return MakeRuntimeSpec(*jail.block, [&host](const std::string& p) { return host.Real(p); });
}

std::vector<std::string> DescribeStart(const Host& host, const jail::JailRecord& jail) {
  RuntimeSpec spec = RuntimeSpecOf(host, jail);
  std::vector<std::string> lines;
  if (!spec.limits.empty()) lines.push_back("# limits: " + FormatRctlVariable(spec.limits));
  for (const std::string& dir :
       JailCgroup::At(JailCgroupPath(host.root().prefix(), spec.name)).Directories())
    lines.push_back("mkdir -p " + ShellQuoteWord(dir) + " (the keeper's cgroup)");
  lines.push_back(
      fmt::format("unshare --mount --uts --ipc --pid --cgroup{} --fork: keeper (PID 1) of {}",
                  spec.vnet ? " --net" : "", spec.name));
  lines.push_back("mount --make-rprivate /");
  for (const TranslatedMount& m : spec.mounts) {
    lines.push_back("# " + m.line);
    for (const FsOp& op : m.ops) lines.push_back(DescribeOp(op));
  }
  if (!spec.hostname.empty()) lines.push_back("hostname " + spec.hostname);
  if (spec.vnet) lines.push_back("ip link set lo up");
  if (spec.link) {
    bool bridge = std::filesystem::exists("/sys/class/net/" + spec.link->bridge);
    for (const Command& c : LinkCommands(*spec.link, "PID", !bridge))
      lines.push_back(ShellQuote(c.argv));
  }
  lines.push_back(fmt::format("write {}/keeper.json", RuntimeDir(spec.name)));
  if (jail.dns == "copy")
    lines.push_back(std::string(jail::kReplaceResolvConf) + " < the host's resolvers");
  for (const std::string& s : jail.services) lines.push_back("/etc/init.d/" + s + " start");
  return lines;
}

bool StartJail(const Host& host, const jail::JailRecord& jail, std::ostream& out) {
  RuntimeSpec spec = RuntimeSpecOf(host, jail);
  if (!host.IsDirectory(spec.path)) {
    ThrowFailure(fmt::format("{}: path {} does not exist", jail.name, spec.path));
  }
  JailCgroup::At(JailCgroupPath(host.root().prefix(), jail.name)).CheckLimits(spec.limits);
  if (!StartKeeper(host, spec)) {
    out << jail.name << " is running already\n";
    return false;
  }
  std::optional<KeeperState> keeper = RunningKeeper(host, jail.name);
  if (!keeper) ThrowFailure(jail.name + ": the keeper ended right after it started");
  if (spec.link) {
    // A jail whose network cannot be linked does not stay half up.
    try {
      LinkUp(host, *spec.link, keeper->pid);
    } catch (const Error& e) {
      StopKeeper(host, jail.name, 0);
      RemoveBridgeIfUnused(host, spec.link->bridge);
      throw e.WithContext(jail.name + ": linking it to bridge " + spec.link->bridge);
    }
  }
  out << fmt::format("{} started (keeper PID {}{})\n", jail.name, keeper->pid,
                     spec.link
                         ? fmt::format(", {} on bridge {} as {}", spec.link->ip4, spec.link->bridge,
                                       HostEndName(std::to_string(keeper->pid)))
                         : "");
  return true;
}

void StopJail(const Host& host, const jail::JailRecord& jail, std::ostream& out) {
  std::optional<RuntimeSpec> spec = SpecIfReadable(host, jail);
  if (!StopKeeper(host, jail.name, StopTimeout(spec))) {
    out << jail.name << " is not running\n";
    return;
  }
  // The veth pair went with the namespace; a bridge ljail made goes with
  // its last jail (with a file broken since the start, the bridge stays).
  if (spec && spec->link) RemoveBridgeIfUnused(host, spec->link->bridge);
  out << jail.name << " stopped\n";
}

int EnterJail(const Host& host, const jail::JailRecord& jail, const std::string& user,
              const std::vector<std::string>& argv) {
  std::optional<KeeperState> keeper = RunningKeeper(host, jail.name);
  if (!keeper) jail::ThrowNotRunning(jail.name);
  return RunInJail(*keeper, {user, argv});
}

TreeFs RunningTree(const Host& host, const jail::JailRecord& jail) {
  std::optional<KeeperState> keeper = RunningKeeper(host, jail.name);
  if (!keeper) jail::ThrowNotRunning(jail.name);
  // "/." rather than "/": the magic link is walked through, not opened.
  return TreeFs::Open(fmt::format("/proc/{}/root/.", keeper->pid), jail.name);
}

TreeFs RestingTree(const Host& host, const jail::JailRecord& jail) {
  for (const TranslatedMount& m : RuntimeSpecOf(host, jail).mounts) {
    if (m.fstype != "overlay" || m.mount_point != jail.path) continue;
    for (const FsOp& op : m.ops) {
      if (op.kind != FsOp::Kind::kMount || op.mount.fstype != "overlay") continue;
      std::string lower, upper;
      for (const std::string& opt : Split(op.mount.data, ',')) {
        if (opt.starts_with("lowerdir=")) lower = opt.substr(9);
        if (opt.starts_with("upperdir=")) upper = opt.substr(9);
      }
      // The clone's writable layer read as the top lower layer: its
      // whiteouts and opaque directories mean what they mean at start.
      UniqueFd overlay(
          MountDetachedOverlay(upper.empty() ? lower : upper + ":" + lower, jail.name + "'s tree"));
      return TreeFs::Open(fmt::format("/proc/self/fd/{}/.", overlay.get()), jail.path);
    }
  }
  return host.Tree(jail.path);
}

ProcessResult RunInTree(const Host& host, const jail::JailRecord& jail,
                        const std::vector<std::string>& argv, const std::string& input,
                        const std::string& user) {
  std::optional<KeeperState> keeper = RunningKeeper(host, jail.name);
  if (!keeper) jail::ThrowNotRunning(jail.name);
  return RunCapturedInJail(*keeper, argv, input, user);
}

std::vector<JailState> ListJailStatus(const Host& host) {
  std::vector<JailState> out;
  for (jail::JailRecord& r : jail::DiscoverJails(host)) {
    JailState s;
    if (std::optional<KeeperState> k = RunningKeeper(host, r.name)) {
      s.running = true;
      s.id = k->pid;
    }
    s.storage_present = host.IsDirectory(r.path);
    s.record = std::move(r);
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<std::string> MountsBelow(const std::string& real_path) {
  std::vector<std::string> out;
  for (const MountInfoEntry& m : ReadOwnMountInfo()) {
    if (m.mount_point == real_path || m.mount_point.starts_with(real_path + "/"))
      out.push_back(m.mount_point);
  }
  return out;
}

namespace {

Step StopStep(const Host& host, const jail::JailRecord& jail, int timeout) {
  std::optional<KeeperState> keeper = RunningKeeper(host, jail.name);
  bool stale = !keeper && host.Exists(RuntimeDir(jail.name));
  Step stop{"stop " + jail.name, !keeper && !stale, keeper ? "" : "not running", {}};
  std::string name = jail.name;
  stop.actions.push_back(Action::Custom(
      fmt::format("SIGTERM to the keeper (PID {}) and every process of the jail; SIGKILL after "
                  "{} s",
                  keeper ? keeper->pid : 0, timeout),
      [name, timeout](const Host& h) { StopKeeper(h, name, timeout); }));
  return stop;
}

// A bridge ljail made for this jail goes with its last jail, as at stop,
// also when the jail was not running any more.
// A broken file has no bridge to tell.
std::optional<Step> BridgeStep(const std::optional<RuntimeSpec>& spec) {
  if (!spec || !spec->link) return std::nullopt;
  const std::optional<VnetLink>& link = spec->link;
  bool gone = !std::filesystem::exists("/sys/class/net/" + link->bridge);
  Step bridge{"bridge " + link->bridge + " without its last jail", gone, gone ? "gone" : "", {}};
  std::string b = link->bridge;
  bridge.actions.push_back(
      Action::Custom("ip link del " + b + " if ljail made it and no other jail is on it",
                     [b](const Host& h) { RemoveBridgeIfUnused(h, b); }));
  return bridge;
}

// The jail's own mounts die with its namespace; anything mounted below it
// on the host was put there by hand, and deleting through it would delete
// the host's files.
Step NothingMountedStep(const std::string& storage_dir) {
  Step verify{"check that nothing of the host is mounted below " + storage_dir, false, "", {}};
  verify.actions.push_back(Action::Custom(
      "read /proc/self/mountinfo: any mount below " + storage_dir + " stops here, deleting nothing",
      [storage_dir](const Host& h) {
        std::vector<std::string> mounts = MountsBelow(h.Real(storage_dir));
        if (!mounts.empty()) {
          ThrowFailure(
              fmt::format("refusing to delete {}: {} is mounted below it; unmount it and "
                          "run the command again",
                          storage_dir, h.root().Logical(mounts.front())));
        }
      }));
  return verify;
}

}  // namespace

Plan MakeDestroyPlan(const Host& host, const Settings& settings, const jail::JailRecord& jail,
                     bool force) {
  return jail::MakeDestroyPlan(host, settings, jail, "", force,
                               [&](const jail::JailLayout& layout) {
                                 std::optional<RuntimeSpec> spec = SpecIfReadable(host, jail);
                                 jail::DestroySteps steps;
                                 steps.running = RunningKeeper(host, jail.name).has_value();
                                 steps.stop = StopStep(host, jail, StopTimeout(spec));
                                 if (std::optional<Step> bridge = BridgeStep(spec))
                                   steps.teardown.push_back(*bridge);
                                 steps.verify = NothingMountedStep(layout.storage_dir);
                                 return steps;
                               });
}

}  // namespace ljail::host::linux_ns
