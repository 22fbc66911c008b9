// Resource limits of a Linux-host jail (issue 12 §6), for real: rctl's
// resource names set with `ljail set`, enforced by the jail's own cgroup on
// this machine's layout (v1 memory, pids and cpu hierarchies beside an
// empty v2), read back from cgroupfs and felt from inside the jail.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "e2e/linux_host.h"
#include "runtime/linux/cgroup.h"

namespace ljail::testing {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

class LinuxLimits : public LinuxHostTest {
 protected:
  void SetUp() override {
    LinuxHostTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ImportTemplate();
    CreateJail("pen");
  }
  // The jail's cgroup directory in the hierarchy holding `controller`.
  std::string CgroupDir(const std::string& controller) const {
    std::string path = host::linux_ns::JailCgroupPath(root_->path(), "pen");
    for (const host::linux_ns::CgroupHierarchy& h : host::linux_ns::MountedCgroups()) {
      for (const std::string& c : h.controllers)
        if (c == controller) return h.mount_point + "/" + path;
    }
    return "";
  }
};

TEST_F(LinuxLimits, RctlNamesBecomeTheJailsCgroupLimits) {
  for (const char* c : {"memory", "pids", "cpu"}) {
    if (CgroupDir(c).empty()) GTEST_SKIP() << "this host has no " << c << " cgroup controller";
  }
  RunResult set = Ljail({"set", "pen", "memoryuse=64M", "maxproc=40", "pcpu=50"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  EXPECT_NE(Slurp(Real("/etc/jail.conf.d/pen.conf"))
                .find("$ljail_rctl = \"memoryuse=67108864 "
                      "maxproc=40 pcpu=50\";"),
            std::string::npos)
      << Slurp(Real("/etc/jail.conf.d/pen.conf"));
  ASSERT_EQ(Ljail({"start", "pen"}).exit_code, 0);

  const std::string memory = CgroupDir("memory"), pids = CgroupDir("pids"), cpu = CgroupDir("cpu");
  bool v2 = std::filesystem::exists(memory + "/memory.max");
  EXPECT_EQ(Slurp(memory + (v2 ? "/memory.max" : "/memory.limit_in_bytes")), "67108864");
  EXPECT_EQ(Slurp(pids + "/pids.max"), "40");
  if (v2) {
    EXPECT_EQ(Slurp(cpu + "/cpu.max"), "50000 100000");
  } else {
    EXPECT_EQ(Slurp(cpu + "/cpu.cfs_quota_us"), "50000");
    EXPECT_EQ(Slurp(cpu + "/cpu.cfs_period_us"), "100000");
  }
  // The keeper and what is entered live there, not in the admin's cgroup,
  // and the jail sees its own cgroup as the root of its cgroup namespace.
  pid_t keeper = KeeperPid("pen");
  EXPECT_NE(Slurp(pids + "/cgroup.procs").find(std::to_string(keeper)), std::string::npos);
  RunResult inside = Ljail({"exec", "pen", "--", "sh", "-c",
                            "cat /proc/self/cgroup; cat /proc/$$/status | grep ^NSpid"});
  EXPECT_NE(inside.out.find(":pids:/\n"), std::string::npos) << inside.out;
  EXPECT_EQ(inside.out.find("ljail"), std::string::npos) << inside.out;

  RunResult doctor = Ljail({"doctor", "pen", "--json"});
  EXPECT_NE(doctor.out.find("memoryuse=67108864 maxproc=40 pcpu=50, in the jail's cgroup"),
            std::string::npos)
      << doctor.out;

  // maxproc holds: the 41st task cannot be made.
  // (dash ends at its first failed fork: the sleeps end on their own.)
  RunResult bomb = Ljail({"exec", "pen", "--", "sh", "-c",
                          "i=0; while [ $i -lt 60 ]; do sleep 1 & i=$((i+1)); done 2>&1"});
  EXPECT_NE(bomb.out.find("fork"), std::string::npos) << bomb.out << bomb.err;
  // The sleeps, orphans now, are reaped by the keeper.
  for (int i = 0; i < 60 && Slurp(pids + "/pids.current") != "1"; ++i) ::usleep(50'000);
  EXPECT_EQ(Slurp(pids + "/pids.current"), "1") << "the sleeps are gone, the keeper stays";

  // memoryuse holds: a 128 MiB buffer is killed by the jail's OOM killer
  // (128 + SIGKILL), and only that process: the jail stays up.
  RunResult big =
      Ljail({"exec", "pen", "--", "dd", "if=/dev/zero", "of=/dev/null", "bs=128M", "count=1"});
  EXPECT_EQ(big.exit_code, 137) << big.out << big.err;
  EXPECT_EQ(Exec("pen", {"echo", "alive"}), "alive\n");

  // A running jail takes a change at once; none lifts a limit.
  ASSERT_EQ(Ljail({"set", "pen", "maxproc=none", "memoryuse=256M"}).exit_code, 0);
  EXPECT_EQ(Slurp(pids + "/pids.max"), "max");
  EXPECT_EQ(Slurp(memory + (v2 ? "/memory.max" : "/memory.limit_in_bytes")), "268435456");

  // Stopping leaves no cgroup behind, not even the parent of its last jail.
  ASSERT_EQ(Ljail({"stop", "pen"}).exit_code, 0);
  EXPECT_FALSE(std::filesystem::exists(pids));
  EXPECT_FALSE(std::filesystem::exists(memory));
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(pids).parent_path()));
}

// What an idle running jail costs: its PID 1 is the static ljail-keeper
// program, not a copy of ljail, so its own memory is a few pages (the
// program's text is shared by every keeper). bench/RESULTS.md has figures.
TEST_F(LinuxLimits, AnIdleJailCostsAFewPages) {
  ASSERT_EQ(Ljail({"start", "pen"}).exit_code, 0);
  pid_t keeper = KeeperPid("pen");
  EXPECT_EQ(std::filesystem::read_symlink("/proc/" + std::to_string(keeper) + "/exe").filename(),
            "ljail-keeper");
  EXPECT_EQ(Slurp("/proc/" + std::to_string(keeper) + "/comm"), "ljail-keeper");
  long anonymous_kib = -1;
  std::istringstream rollup(Slurp("/proc/" + std::to_string(keeper) + "/smaps_rollup"));
  for (std::string line; std::getline(rollup, line);) {
    if (line.rfind("Pss_Anon:", 0) == 0) anonymous_kib = std::stol(line.substr(9));
  }
  EXPECT_GE(anonymous_kib, 0);
  EXPECT_LT(anonymous_kib, 256) << "KiB of the keeper's own memory";
  // Still the jail's PID 1: it reaps orphans, and stop ends the jail.
  EXPECT_EQ(Exec("pen", {"sh", "-c",
                         "(sleep 0.1 &); sleep 1; grep -l ' Z ' /proc/[0-9]*/stat || echo none"}),
            "none\n");
  ASSERT_EQ(Ljail({"stop", "pen"}).exit_code, 0);
  EXPECT_FALSE(std::filesystem::exists("/proc/" + std::to_string(keeper) + "/exe"));
}

TEST_F(LinuxLimits, ABadLimitIsRefusedBeforeAnythingChanges) {
  std::string before = Slurp(Real("/etc/jail.conf.d/pen.conf"));
  for (const char* bad : {"memoryuse=10", "memoryuse=12Q", "maxproc=0", "pcpu=-5",
                          "pcpu=", "memoryuse=99999999999999999999", "nthr=5"}) {
    RunResult r = Ljail({"set", "pen", bad});
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.err;
    EXPECT_FALSE(r.err.empty()) << bad;
  }
  EXPECT_EQ(Slurp(Real("/etc/jail.conf.d/pen.conf")), before);
}

}  // namespace
}  // namespace ljail::testing
