#include "runtime/freebsd/jail_lifecycle.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <ostream>

#include "core/error.h"
#include "core/strings.h"
#include "host/zfs.h"
#include "jail/destroy_common.h"
#include "jail/layout.h"
#include "jail/tree_settings.h"
#include "runtime/freebsd/mounts.h"
#include "runtime/freebsd/system.h"

namespace ljail::host::freebsd {
namespace {

std::string JoinIds(const std::vector<gid_t>& ids) {
  std::string out;
  for (size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + std::to_string(ids[i]);
  return out;
}

bool Below(const std::string& path, const std::string& top) {
  return path == top || path.starts_with(top + "/");
}

}  // namespace

bool IsRunning(const Host& host, const std::string& name) {
  return host.Run({"jls", "-j", name, "jid"}).ok();
}

void StartJail(const Host& host, const jail::JailRecord& jail, std::ostream& out) {
  if (IsRunning(host, jail.name)) {
    out << jail.name << " is running already\n";
    return;
  }
  if (!jail.problems.empty())
    ThrowFailure(fmt::format("{}: jail(8) would refuse it:\n{}", jail.name, jail.problems.front()));
  if (!IsYes(RcValue(host, "jail_enable"))) {
    ThrowFailure(
        "jail_enable is not YES, so `service jail start` does nothing: run `ljail host init`");
  }
  ProcessResult r = host.Run(ServiceJail("start", jail.name));
  if (!IsRunning(host, jail.name)) {
    ThrowFailure(fmt::format("{} did not start; rc.d/jail said:\n{}{}", jail.name, r.out, r.err));
  }
  out << r.out;
}

void StopJail(const Host& host, const jail::JailRecord& jail, std::ostream& out) {
  if (!IsRunning(host, jail.name)) {
    out << jail.name << " is not running\n";
    return;
  }
  ProcessResult r = host.Run(ServiceJail("stop", jail.name));
  if (IsRunning(host, jail.name)) {
    ThrowFailure(fmt::format("{} did not stop; rc.d/jail said:\n{}{}", jail.name, r.out, r.err));
  }
  out << r.out;
}

Command LinuxExecCommand(const std::string& jail_name, const std::string& linux_dir,
                         const jail::LinuxUser& user, const std::vector<std::string>& env,
                         const std::string& cwd, const std::vector<std::string>& argv) {
  Command c{"jexec",
            jail_name,
            "/usr/sbin/chroot",
            "-u",
            std::to_string(user.uid),
            "-g",
            std::to_string(user.gid)};
  if (!user.groups.empty()) {
    c.argv.push_back("-G");
    c.argv.push_back(JoinIds(user.groups));
  }
  c.argv.push_back(linux_dir);
  c.argv.insert(c.argv.end(), {"/usr/bin/env", "-i", "-C", cwd});
  c.argv.insert(c.argv.end(), env.begin(), env.end());
  c.argv.insert(c.argv.end(), argv.begin(), argv.end());
  return c;
}

jail::LinuxUser TreeUser(const Host& host, const jail::JailRecord& jail, const std::string& name) {
  std::optional<jail::LinuxUser> user =
      jail::FindTreeUser(host.Tree(jail.LinuxTree()), name.empty() ? "root" : name);
  if (!user) {
    ThrowUsage(fmt::format("no user \"{}\" in {}'s {} tree ({}/etc/passwd)", Printable(name),
                           jail.name, jail.distro, jail.LinuxTree()));
  }
  return *user;
}

int EnterJail(const Host& host, const jail::JailRecord& jail, const std::string& user_name,
              const std::vector<std::string>& argv, bool freebsd) {
  if (!IsRunning(host, jail.name)) jail::ThrowNotRunning(jail.name);
  if (freebsd) {
    Command c{"jexec", "-l"};
    if (!user_name.empty()) c.argv.insert(c.argv.end(), {"-U", user_name});
    c.argv.push_back(jail.name);
    c.argv.insert(c.argv.end(), argv.begin(), argv.end());
    return host.Interactive(c, {});
  }
  jail::LinuxUser user = TreeUser(host, jail, user_name);
  const char* term = std::getenv("TERM");
  const char* lang = std::getenv("LANG");
  TreeFs tree = host.Tree(jail.LinuxTree());
  std::string cwd = tree.IsDirectory(user.home) ? user.home : "/";
  std::vector<std::string> command = argv;
  if (command.empty()) command = {user.shell, "-l"};
  Command c = LinuxExecCommand(
      jail.name, jail.linux_dir, user,
      jail::LoginEnvironment(user, term ? term : "", jail::LoginLocale(tree, lang ? lang : "")),
      cwd, command);
  return host.Interactive(c, {});
}

std::vector<JailState> ListJailStatus(const Host& host, const Settings& settings) {
  std::vector<JailState> out;
  std::vector<jail::JailRecord> records = jail::DiscoverJails(host);
  if (records.empty()) return out;
  std::vector<RunningJail> running = RunningJails(host);
  std::vector<zfs::Entry> datasets;
  if (settings.uses_zfs()) datasets = zfs::ListTree(host, settings.Dataset("containers"));
  for (jail::JailRecord& r : records) {
    JailState s;
    auto it = std::find_if(running.begin(), running.end(),
                           [&](const RunningJail& j) { return j.name == r.name; });
    s.running = it != running.end();
    if (s.running) s.id = it->jid;
    if (settings.uses_zfs()) {
      for (const zfs::Entry& e : datasets) {
        if (e.type == "filesystem" && e.mountpoint == r.path) {
          s.storage_present = true;
          s.origin = e.origin;
        }
      }
    } else {
      s.storage_present = host.IsDirectory(r.path);
    }
    if (!r.managed && !s.storage_present) s.storage_present = host.IsDirectory(r.path);
    s.record = std::move(r);
    out.push_back(std::move(s));
  }
  return out;
}

namespace {

// rc.d/jail may remove the jail and still fail to unmount something (a
// busy share): that is for the next step, so only "gone" matters here.
Step StopStep(const std::string& name, bool running) {
  Step stop{"stop " + name, !running, running ? "" : "not running", {}};
  if (!running) return stop;
  stop.actions.push_back(Action::Custom(
      "service jail stop " + name + " (the jail must be gone after it)", [name](const Host& h) {
        h.Run(ServiceJail("stop", name));
        if (IsRunning(h, name)) ThrowFailure(name + " is still running after service jail stop");
      }));
  return stop;
}

// Whatever is still mounted below the jail (a stop that failed half-way,
// a mount made by hand), read from the mount table when the step runs and
// unmounted deepest first: the reverse of the order they were made.
Step UnmountStep(const Host& host, const std::string& top, bool running, bool force) {
  std::vector<std::string> now;
  for (const MountEntry& m : Mounts(host)) {
    if (Below(m.mount_point, top)) now.push_back(m.mount_point);
  }
  Step unmount{"nothing mounted below " + top, now.empty() && !running, "", {}};
  if (unmount.done) return unmount;
  std::string listed;
  for (auto it = now.rbegin(); it != now.rend(); ++it)
    listed += "\n    umount " + std::string(force ? "-f " : "") + *it;
  unmount.actions.push_back(Action::Custom(
      fmt::format("umount{} every mount below {} in reverse order (now:{})", force ? " -f" : "",
                  top, listed.empty() ? " none; the stop takes its own" : listed),
      [top, force](const Host& h) {
        std::vector<MountEntry> mounts = Mounts(h);
        for (auto it = mounts.rbegin(); it != mounts.rend(); ++it) {
          if (!Below(it->mount_point, top)) continue;
          Command c = force ? Command{"umount", "-f", it->mount_point} : Unmount(it->mount_point);
          h.Must(c);
        }
      }));
  return unmount;
}

// Deleting through a mount would delete the host's files.
Step NothingMountedStep(const std::string& path) {
  Step verify{"check with mount -p that no mount remains below " + path, false, "", {}};
  verify.actions.push_back(Action::Custom(
      fmt::format("mount -p must show nothing below {}; otherwise stop here and delete nothing",
                  path),
      [path](const Host& h) {
        for (const MountEntry& m : Mounts(h)) {
          if (Below(m.mount_point, path)) {
            ThrowFailure(
                fmt::format("refusing to delete {}: {} ({}) is still mounted, and deleting "
                            "through it would delete the host's files; unmount it (or use "
                            "--force) and run the command again",
                            path, m.mount_point, m.device));
          }
        }
      }));
  return verify;
}

}  // namespace

Plan MakeDestroyPlan(const Host& host, const Settings& settings, const jail::JailRecord& jail,
                     bool force) {
  return jail::MakeDestroyPlan(
      host, settings, jail, jail::CompatDir(jail.distro), force,
      [&](const jail::JailLayout& layout) {
        bool running = IsRunning(host, jail.name);
        jail::DestroySteps steps;
        steps.running = running;
        steps.stop = StopStep(jail.name, running);
        steps.teardown.push_back(UnmountStep(host, layout.path, running, force));
        steps.verify = NothingMountedStep(layout.path);
        if (ReadHostRelease(host).major < 14) {
          Step list{"jail_list without " + jail.name, false, "", {}};
          list.actions.push_back(Action::Run({"sysrc", "jail_list-=" + jail.name}));
          steps.afterward.push_back(list);
        }
        return steps;
      });
}

}  // namespace ljail::host::freebsd
