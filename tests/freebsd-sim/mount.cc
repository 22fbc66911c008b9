// mount(8) and umount(8): a table of mounts, checked against the simulated
// root. The kernel loads a file system's module on first mount
// (docs/freebsd.md §3.1), so a mount also adds it to the module list.
#include <algorithm>
#include <array>
#include <filesystem>
#include <iostream>
#include <set>
#include <string_view>

#include "sim.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace sim {
namespace {

[[noreturn]] void MountUsage(char) {
  Fail(1,
       "usage: mount [-adflpruvw] [-F fstab] [-o options] [-t ufs | external_type]\n"
       "       mount [-dfpruvw] special | node\n"
       "       mount [-dfpruvw] [-o options] [-t ufs | external_type] special node");
}

[[noreturn]] void UmountUsage(char) {
  Fail(1, "usage: umount [-dfNnv] special ... | node ... | fsid ...");
}

// fstab(5) fields escape spaces as \040.
std::string Escape(const std::string& field) {
  std::string out;
  for (char c : field) out += c == ' ' ? std::string("\\040") : std::string(1, c);
  return out;
}

// What a devfs shows, by ruleset (/etc/defaults/devfs.rules, §3.1). Without
// a ruleset every host device is there; devfsrules_jail (4) keeps only the
// basic and login devices, which hides the "shm" directory the Linux ABI
// adds. A ruleset number the kernel does not know is created empty by
// devfs_ruleset_use(): nothing is hidden.
std::set<std::string> VisibleDevices(const State& s, const std::string& ruleset_text) {
  const std::set<std::string> all = {
      "null",   "zero", "random",  "urandom", "crypto", "pts",  "ptmx", "fd", "stdin", "stdout",
      "stderr", "tty",  "console", "mem",     "kmem",   "ada0", "bpf",  "pf", "zfs",   "fuse"};
  const std::set<std::string> basic = {"null", "zero", "random", "urandom", "crypto"};
  const std::set<std::string> login = {"pts", "ptmx", "fd", "stdin", "stdout", "stderr", "tty"};
  std::set<std::string> visible = all;
  bool linux_loaded = false;
  for (const std::string f : s.json()["kld_files"])
    linux_loaded = linux_loaded || f == "linux_common" || f == "linux64";
  if (linux_loaded) visible.insert("shm");
  if (ruleset_text.empty() || ruleset_text == "0") return visible;
  auto known = s.json()["devfs_rulesets"];
  if (!known.contains(ruleset_text)) return visible;
  const json& rules = known[ruleset_text];
  if (rules.is_string() && rules == "devfsrules_jail") {
    visible = basic;
    visible.insert(login.begin(), login.end());
    visible.insert("zfs");
    visible.insert("fuse");
    return visible;
  }
  if (rules.is_string()) return visible;
  // A ruleset loaded from /etc/devfs.rules: a list of rules in order.
  for (const std::string rule : rules) {
    if (rule == "include $devfsrules_hide_all")
      visible.clear();
    else if (rule == "include $devfsrules_unhide_basic")
      visible.insert(basic.begin(), basic.end());
    else if (rule == "include $devfsrules_unhide_login")
      visible.insert(login.begin(), login.end());
    else if (rule == "include $devfsrules_jail") {
      visible = basic;
      visible.insert(login.begin(), login.end());
    } else if (rule.rfind("path ", 0) == 0) {
      std::vector<std::string> w = Split(rule, ' ');
      std::string name = w.size() > 1 ? w[1] : "";
      name.erase(std::remove(name.begin(), name.end(), '\''), name.end());
      if (name.find('/') != std::string::npos) continue;  // "shm/*" covers the contents
      if (w.back() == "unhide" && (name != "shm" || linux_loaded)) visible.insert(name);
      if (w.back() == "hide") visible.erase(name);
    }
  }
  return visible;
}

void PopulateDevfs(const State& s, const std::string& options, const std::string& backing) {
  std::string ruleset;
  for (const std::string& o : Split(options, ',')) {
    if (o.rfind("ruleset=", 0) == 0) ruleset = o.substr(8);
  }
  for (const std::string& dev : VisibleDevices(s, ruleset)) {
    if (dev == "pts" || dev == "fd" || dev == "shm") {
      fs::create_directories(backing + "/" + dev);
    } else {
      WriteText(backing + "/" + dev, "");
    }
  }
}

constexpr std::array<std::string_view, 8> kKnownTypes = {
    "devfs", "tmpfs", "nullfs", "fdescfs", "linprocfs", "linsysfs", "procfs", "zfs"};

}  // namespace

void DoMount(State& s, const std::string& fstype, const std::string& options,
             const std::string& device, const std::string& mountpoint,
             const std::string& fail_prefix) {
  if (std::find(kKnownTypes.begin(), kKnownTypes.end(), fstype) == kKnownTypes.end()) {
    Fail(1, fail_prefix + fstype + ": Operation not supported by device");
  }
  if (mountpoint.empty() || mountpoint[0] != '/')
    Fail(1, fail_prefix + mountpoint + ": No such file or directory");
  std::string real = s.Resolve(mountpoint);
  if (!Exists(real)) Fail(1, fail_prefix + mountpoint + ": No such file or directory");
  if (!IsDirectory(real)) Fail(1, fail_prefix + mountpoint + ": Not a directory");
  if (fstype == "nullfs" && !IsDirectory(s.Resolve(device))) {
    Fail(1, "mount_nullfs: " + device + ": No such file or directory");
  }
  json record = {
      {"device", device}, {"mountpoint", mountpoint}, {"fstype", fstype}, {"options", options}};
  if (fstype != "nullfs") {
    // A virtual file system gets a directory of its own for its contents.
    int id = s.json()["next_vfs"];
    s.json()["next_vfs"] = id + 1;
    std::string backing = s.dir() + "/vfs/" + std::to_string(id);
    fs::create_directories(backing);
    record["backing"] = backing;
    if (fstype == "devfs") PopulateDevfs(s, options, backing);
    if (fstype == "linprocfs") WriteText(backing + "/version", "Linux version 5.15.0 (FreeBSD)\n");
    if (fstype == "linsysfs") fs::create_directories(backing + "/class/net");
  }
  s.json()["mounts"].push_back(record);
  json& files = s.json()["kld_files"];
  if (fstype != "devfs" && fstype != "zfs" &&
      std::find(files.begin(), files.end(), fstype) == files.end()) {
    files.push_back(fstype);
    if ((fstype == "linprocfs" || fstype == "linsysfs") &&
        std::find(files.begin(), files.end(), "pseudofs") == files.end()) {
      files.push_back("pseudofs");
    }
  }
}

void DoUnmount(State& s, const std::string& mountpoint, const std::string& fail_prefix,
               bool force) {
  json& mounts = s.json()["mounts"];
  int index = -1;
  for (int i = static_cast<int>(mounts.size()) - 1; i >= 0; --i) {
    if (mounts[i]["mountpoint"] == mountpoint) {
      index = i;
      break;
    }
  }
  if (index < 0) Fail(1, fail_prefix + mountpoint + ": not a file system root directory");
  const json& busy = s.json().contains("busy_mounts") ? s.json()["busy_mounts"] : json::array();
  if (!force && std::find(busy.begin(), busy.end(), mountpoint) != busy.end()) {
    Fail(1, "umount: unmount of " + mountpoint + " failed: Device busy");
  }
  for (size_t i = static_cast<size_t>(index) + 1; i < mounts.size(); ++i) {
    std::string other = mounts[i]["mountpoint"];
    if (other.rfind(mountpoint + "/", 0) == 0)
      Fail(1, "umount: unmount of " + mountpoint + " failed: Device busy");
  }
  if (mounts[index].contains("backing"))
    fs::remove_all(mounts[index]["backing"].get<std::string>());
  mounts.erase(static_cast<size_t>(index));
}

int Mount(State& s, const std::vector<std::string>& args) {
  std::vector<std::string> ops;
  auto options = GetOpt(args, "adF:flo:prt:uvw", &ops, MountUsage);
  std::string fstype, opts;
  bool fstab_format = false;
  for (const auto& [flag, value] : options) {
    if (flag == 't') fstype = value;
    if (flag == 'o') opts = opts.empty() ? value : opts + "," + value;
    if (flag == 'p') fstab_format = true;
  }
  if (ops.empty()) {
    std::cout << (fstab_format ? "zroot/ROOT/default\t/\tzfs\trw\t0 0\n"
                               : "zroot/ROOT/default on / (zfs, local, noatime, nfsv4acls)\n");
    for (const json& m : s.json()["mounts"]) {
      std::string device = m["device"], mp = m["mountpoint"], type = m["fstype"], o = m["options"];
      if (fstab_format) {
        std::cout << Escape(device) << "\t" << Escape(mp) << "\t" << type << "\t"
                  << (o.empty() ? "rw" : o) << "\t0 0\n";
      } else {
        std::cout << device << " on " << mp << " (" << type << ", local)\n";
      }
    }
    return 0;
  }
  if (ops.size() != 2 || fstype.empty()) MountUsage('?');
  DoMount(s, fstype, opts, ops[0], ops[1], "mount: ");
  return 0;
}

int Umount(State& s, const std::vector<std::string>& args) {
  std::vector<std::string> ops;
  auto options = GetOpt(args, "dfNnv", &ops, UmountUsage);
  bool force = std::any_of(options.begin(), options.end(), [](auto& o) { return o.first == 'f'; });
  if (ops.empty()) UmountUsage('?');
  for (const std::string& mp : ops) DoUnmount(s, mp, "umount: ", force);
  return 0;
}

}  // namespace sim
