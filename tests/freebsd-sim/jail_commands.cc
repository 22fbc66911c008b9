// How the simulated jail(8) runs a jail's host commands (exec.prestart,
// exec.poststop, ...) and ends its processes.
//
// A command runs as usr.sbin/jail/command.c run_command does it, with this
// machine's /bin/sh and tools, in a private mount namespace where FreeBSD's
// program directories hold the simulated programs: /sbin and /usr/sbin hold
// only those (a FreeBSD program the simulator lacks is "not found", never
// this machine's program of that name), /bin and /usr/bin gain rctl, fetch
// and chflags over this machine's own. /etc/resolv.conf is the simulated
// host's. Everything else is this machine's file system, so a line should
// name only the host files above (the generated ones do).
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <climits>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <thread>

#include "sim.h"

namespace fs = std::filesystem;

namespace sim {
namespace {

struct ProgramDir {
  const char* path;
  bool only_simulated;  // hide this machine's programs there
  std::vector<const char*> programs;
};

const std::vector<ProgramDir>& FreeBSDProgramDirs() {
  static const std::vector<ProgramDir> dirs = {
      {"/sbin",
       true,
       {"ifconfig", "mount", "umount", "zfs", "kldload", "kldstat", "sysctl", "devfs", "sha256"}},
      {"/usr/sbin", true, {"jail", "jls", "jexec", "service", "sysrc", "freebsd-update"}},
      {"/bin", false, {"chflags"}},
      {"/usr/bin", false, {"rctl", "fetch"}},
  };
  return dirs;
}

[[noreturn]] void ChildFail(const std::string& what) {
  std::string message = "freebsd-sim: " + what + ": " + std::strerror(errno) + "\n";
  (void)!::write(2, message.data(), message.size());
  ::_exit(71);
}

void Link(const std::string& target, const std::string& at) {
  (void)::unlink(at.c_str());
  if (::symlink(target.c_str(), at.c_str()) != 0) ChildFail("symlink " + at);
}

// In the child: the mount namespace of the file comment.
void EnterFreeBSDView(const std::string& state_dir) {
  if (::unshare(CLONE_NEWNS) != 0)
    ChildFail("a jail's commands run in a private mount namespace, which needs root: unshare");
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
    ChildFail("mount --make-rprivate /");
  char self[PATH_MAX] = {};
  if (::readlink("/proc/self/exe", self, sizeof self - 1) < 0) ChildFail("readlink /proc/self/exe");
  // Debian merges /sbin into /usr/sbin: group the programs by real directory.
  std::map<std::string, std::set<std::string>> only, added;
  for (const ProgramDir& d : FreeBSDProgramDirs()) {
    std::error_code ec;
    std::string real = fs::canonical(d.path, ec).string();
    if (ec) continue;
    (d.only_simulated ? only : added)[real].insert(d.programs.begin(), d.programs.end());
  }
  for (auto& [dir, programs] : added) {
    if (only.count(dir)) {
      only[dir].insert(programs.begin(), programs.end());
      continue;
    }
    std::string lower = state_dir + "/programs" + dir;
    fs::create_directories(lower);
    for (const std::string& p : programs) Link(self, lower + "/" + p);
    std::string options = "lowerdir=" + lower + ":" + dir;
    if (::mount("overlay", dir.c_str(), "overlay", MS_RDONLY, options.c_str()) != 0)
      ChildFail("mount -t overlay on " + dir);
  }
  for (auto& [dir, programs] : only) {
    if (::mount("tmpfs", dir.c_str(), "tmpfs", 0, "mode=0755") != 0)
      ChildFail("mount -t tmpfs on " + dir);
    for (const std::string& p : programs) Link(self, dir + "/" + p);
  }
  std::string resolv = state_dir + "/root/etc/resolv.conf";
  if (Exists(resolv) && Exists("/etc/resolv.conf") &&
      ::mount(resolv.c_str(), "/etc/resolv.conf", nullptr, MS_BIND, nullptr) != 0) {
    ChildFail("mount --bind " + resolv + " /etc/resolv.conf");
  }
}

// The real directory a process runs chrooted in, or "" (gone, a zombie).
std::string RootOf(const std::string& pid) {
  char root[PATH_MAX] = {};
  ssize_t n = ::readlink(("/proc/" + pid + "/root").c_str(), root, sizeof root - 1);
  return n < 0 ? "" : std::string(root, static_cast<size_t>(n));
}

}  // namespace

int RunOnHost(State& s, const std::vector<std::string>& argv) {
  std::cout.flush();
  std::cerr.flush();
  s.Save();
  s.Unlock();
  pid_t pid = ::fork();
  if (pid < 0) {
    s.Lock();
    Fail(1, std::string("jail: fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    EnterFreeBSDView(s.dir());
    ::close_range(3, ~0U, 0);  // jail(8) runs its commands after closefrom(3)
    std::vector<std::string> copy = argv;
    std::vector<char*> args;
    args.reserve(copy.size() + 1);
    for (std::string& a : copy) args.push_back(a.data());
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    std::string message = "jail: exec " + argv[0] + ": " + std::strerror(errno) + "\n";
    (void)!::write(2, message.data(), message.size());
    ::_exit(1);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  s.Lock();
  return status;
}

void StopJailProcesses(State& s, const std::string& path, int timeout) {
  // The jail's processes: chrooted in its path or in a file system mounted
  // below it (its Linux tree is a dataset of its own).
  std::vector<std::string> roots = {s.Resolve(path)};
  for (const nlohmann::json& m : s.json()["mounts"]) {
    std::string mp = m["mountpoint"];
    if (mp.rfind(path + "/", 0) == 0) roots.push_back(s.Resolve(mp));
  }
  auto in_jail = [&](const std::string& pid) {
    std::string root = RootOf(pid);
    for (const std::string& r : roots)
      if (!root.empty() && (root == r || root.rfind(r + "/", 0) == 0)) return true;
    return false;
  };
  auto jailed = [&] {
    std::vector<pid_t> pids;
    for (const auto& entry : fs::directory_iterator("/proc")) {
      std::string name = entry.path().filename();
      if (name.find_first_not_of("0123456789") == std::string::npos && in_jail(name))
        pids.push_back(static_cast<pid_t>(std::stol(name)));
    }
    return pids;
  };
  for (pid_t p : jailed()) ::kill(p, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout);
  while (!jailed().empty() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  for (pid_t p : jailed()) ::kill(p, SIGKILL);  // jail_remove(2) kills what is left
}

}  // namespace sim
