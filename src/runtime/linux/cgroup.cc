#include "runtime/linux/cgroup.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <fstream>
#include <set>
#include <thread>

#include "core/error.h"
#include "core/file_io.h"
#include "core/mount_table.h"
#include "core/strings.h"

namespace ljail::host::linux_ns {
namespace {

constexpr std::uint64_t kCpuPeriodUs = 100'000;

bool IsV1Controller(const std::string& option) {
  static const std::set<std::string> kControllers = {
      "cpu",   "cpuacct",    "cpuset",   "memory",  "devices", "freezer", "net_cls",
      "blkio", "perf_event", "net_prio", "hugetlb", "pids",    "rdma",    "misc"};
  return kControllers.count(option) > 0 || option.starts_with("name=");
}

bool Has(const CgroupHierarchy& h, const std::string& controller) {
  return std::find(h.controllers.begin(), h.controllers.end(), controller) != h.controllers.end();
}

// A control file of cgroupfs; the kernel's errno is the whole story
// (EBUSY: memory above the new limit; EINVAL: a value it refuses).
void WriteControl(const std::string& path, const std::string& value) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) ThrowSystem("open", path, errno);
  ssize_t n = ::write(fd, value.data(), value.size());
  int err = errno;
  ::close(fd);
  if (n < 0) {
    std::string what = fmt::format("{} (writing \"{}\")", path, value);
    if (err == EBUSY && path.find("memory") != std::string::npos)
      what += ": the jail uses more memory than that now";
    ThrowSystem("write", what, err);
  }
}

void MakeDir(const std::string& path) {
  if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) ThrowSystem("mkdir", path, errno);
}

// A v1 cpuset cgroup starts with no CPUs and no memory nodes and refuses
// processes until it has some: it gets its parent's.
void InheritCpuset(const std::string& parent, const std::string& dir) {
  for (const char* file : {"cpuset.cpus", "cpuset.mems"}) {
    std::string mine = Trim(ReadFile(dir + "/" + file));
    if (mine.empty()) WriteControl(dir + "/" + file, Trim(ReadFile(parent + "/" + file)));
  }
}

}  // namespace

std::vector<CgroupHierarchy> MountedCgroups() {
  std::vector<CgroupHierarchy> out;
  std::set<std::string> devices;
  for (const MountInfoEntry& m : ReadOwnMountInfo()) {
    if (m.fstype != "cgroup" && m.fstype != "cgroup2") continue;
    if (!devices.insert(m.device).second) continue;  // the same hierarchy mounted again
    CgroupHierarchy h{m.mount_point, m.fstype == "cgroup2", {}};
    if (h.v2) {
      h.controllers =
          Words(ReadRegularFileIfExists(h.mount_point + "/cgroup.controllers", 4096).value_or(""));
    } else {
      for (const std::string& o : Split(m.super_options, ','))
        if (IsV1Controller(o)) h.controllers.push_back(o);
    }
    out.push_back(std::move(h));
  }
  return out;
}

std::string JailCgroupPath(const std::string& root, const std::string& name) {
  if (root.empty() || root == "/") return "ljail/" + name;
  std::uint64_t hash = 14695981039346656037ULL;  // FNV-1a: stable across builds
  for (unsigned char c : root) hash = (hash ^ c) * 1099511628211ULL;
  return fmt::format("ljail-{:016x}/{}", hash, name);
}

JailCgroup::JailCgroup(std::vector<CgroupHierarchy> hierarchies, std::string path)
    : hierarchies_(std::move(hierarchies)), path_(std::move(path)) {}

JailCgroup JailCgroup::At(const std::string& path) { return {MountedCgroups(), path}; }

const CgroupHierarchy* JailCgroup::Holding(const std::string& controller) const {
  for (const CgroupHierarchy& h : hierarchies_)
    if (Has(h, controller)) return &h;
  return nullptr;
}

std::string JailCgroup::Dir(const CgroupHierarchy& h) const { return h.mount_point + "/" + path_; }

std::string JailCgroup::Parent(const CgroupHierarchy& h) const {
  return h.mount_point + "/" + path_.substr(0, path_.find('/'));
}

std::vector<std::string> JailCgroup::Directories() const {
  std::vector<std::string> out;
  out.reserve(hierarchies_.size());
  for (const CgroupHierarchy& h : hierarchies_) out.push_back(Dir(h));
  return out;
}

void JailCgroup::CheckLimits(const ResourceLimits& limits) const {
  const std::pair<const char*, const char*> kNeeds[] = {
      {"memoryuse", "memory"}, {"maxproc", "pids"}, {"pcpu", "cpu"}};
  for (const auto& [resource, amount] : LimitList(limits)) {
    for (const auto& [r, controller] : kNeeds) {
      if (resource != r || Holding(controller)) continue;
      ThrowUsage(fmt::format(
          "{}={}: this host has no {} cgroup controller (no v1 hierarchy of it, not in a "
          "cgroup2's cgroup.controllers), so the limit could not be enforced",
          resource, amount, controller));
    }
  }
}

void JailCgroup::Create(const ResourceLimits& limits) const {
  CheckLimits(limits);
  for (const CgroupHierarchy& h : hierarchies_) {
    std::string parent = Parent(h);
    MakeDir(parent);
    MakeDir(Dir(h));
    if (Has(h, "cpuset") && !h.v2) {
      InheritCpuset(h.mount_point, parent);
      InheritCpuset(parent, Dir(h));
    }
    if (h.v2) {
      // The controllers reach the jail's cgroup only when each level above
      // enables them for its children (cgroup v2's subtree_control).
      for (const char* c : {"memory", "pids", "cpu"}) {
        if (!Has(h, c)) continue;
        WriteControl(h.mount_point + "/cgroup.subtree_control", std::string("+") + c);
        WriteControl(parent + "/cgroup.subtree_control", std::string("+") + c);
      }
    }
  }
  Apply(limits);
}

void JailCgroup::Apply(const ResourceLimits& limits) const {
  CheckLimits(limits);
  if (const CgroupHierarchy* h = Holding("memory")) {
    std::string max = h->v2 ? "max" : "-1";
    WriteControl(Dir(*h) + (h->v2 ? "/memory.max" : "/memory.limit_in_bytes"),
                 limits.memoryuse ? std::to_string(*limits.memoryuse) : max);
  }
  if (const CgroupHierarchy* h = Holding("pids")) {
    WriteControl(Dir(*h) + "/pids.max", limits.maxproc ? std::to_string(*limits.maxproc) : "max");
  }
  if (const CgroupHierarchy* h = Holding("cpu")) {
    // pcpu is percent of one CPU: 50 is half of one period, 200 two periods.
    std::string quota = limits.pcpu ? std::to_string(*limits.pcpu * kCpuPeriodUs / 100) : "";
    if (h->v2) {
      WriteControl(Dir(*h) + "/cpu.max",
                   fmt::format("{} {}", quota.empty() ? "max" : quota, kCpuPeriodUs));
    } else {
      WriteControl(Dir(*h) + "/cpu.cfs_period_us", std::to_string(kCpuPeriodUs));
      WriteControl(Dir(*h) + "/cpu.cfs_quota_us", quota.empty() ? "-1" : quota);
    }
  }
}

void JailCgroup::Join(pid_t pid) const {
  for (const CgroupHierarchy& h : hierarchies_)
    WriteControl(Dir(h) + "/cgroup.procs", std::to_string(pid));
}

std::vector<int> JailCgroup::OpenProcsFiles() const {
  std::vector<int> fds;
  for (const CgroupHierarchy& h : hierarchies_) {
    std::string path = Dir(h) + "/cgroup.procs";
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
      int err = errno;
      for (int open : fds) ::close(open);
      ThrowSystem("open", path, err);
    }
    fds.push_back(fd);
  }
  return fds;
}

void JoinWith(const std::vector<int>& files) {
  int err = 0;
  for (int fd : files) {
    if (::write(fd, "0", 1) < 0 && err == 0) err = errno;
    ::close(fd);
  }
  if (err != 0) ThrowSystem("write", "0 to the jail's cgroup.procs", err);
}

bool JailCgroup::Remove() const {
  using namespace std::chrono_literals;
  bool removed = true;
  for (const CgroupHierarchy& h : hierarchies_) {
    std::string dir = Dir(h);
    // The last processes of a jail whose PID 1 ended are still being torn
    // down for a moment: rmdir says EBUSY until they are gone.
    int tries = 0;
    while (::rmdir(dir.c_str()) != 0 && errno == EBUSY && ++tries < 40)
      std::this_thread::sleep_for(50ms);
    if (::access(dir.c_str(), F_OK) == 0) removed = false;
    // The parent goes with its last jail (it fails, EBUSY, while others
    // remain); start and stop of one root are serialized by its lock.
    (void)::rmdir(Parent(h).c_str());
  }
  return removed;
}

}  // namespace ljail::host::linux_ns
