// Ctrl-C and SIGTERM while apt runs inside a jail (issue 13), for real: apt
// from the Debian archive, so in tests/archive. ljail stops apt's process
// group and the jail it started for the change, says what finishes the
// jail, and exits 130; the same command then finishes it. Nothing is left
// behind: no keeper, no process of the jail, no mount, no lock held.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "e2e/linux_host.h"

namespace ljail::testing {
namespace {

class LinuxInterruptFromArchive : public LinuxHostTest {
 protected:
  void SetUp() override {
    LinuxHostTest::SetUp();
    if (!root_) return;
    ImportTemplate();
    GiveTheRootTheHostsFiles();
    GiveTheRootTheHostsResolver();  // apt inside reaches the archive
  }

  // The jail's lock is free: no ljail of the test still holds it.
  bool LockFree(const std::string& jail) const {
    int fd = ::open(Real("/run/ljail/.locks/jail-" + jail).c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) return true;
    bool free = ::flock(fd, LOCK_EX | LOCK_NB) == 0;
    ::close(fd);
    return free;
  }

  // Starts `args`, waits until apt-get runs in `jail`, sends `sig` to ljail.
  // Returns what ljail said, and the jail's processes seen at that moment.
  RunResult InterruptInsideApt(const std::vector<std::string>& args, const std::string& jail,
                               int sig, std::vector<pid_t>* in_jail) {
    std::unique_ptr<StartedProgram> run = StartLjail(args);
    pid_t apt = 0;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (apt == 0 && run->Running() && std::chrono::steady_clock::now() < until) {
      if (pid_t keeper = KeeperPid(jail); keeper > 0) {
        apt = WaitForProcessInNamespaceOf(keeper, "apt-get", std::chrono::seconds(1));
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
    EXPECT_GT(apt, 0) << "apt-get never ran in " << jail << ":\n" << run->OutSoFar();
    *in_jail = ProcessesInNamespaceOf(KeeperPid(jail));
    ::kill(run->pid(), sig);
    return run->Wait();
  }
};

TEST_F(LinuxInterruptFromArchive, ACreateStoppedInsideAptIsFinishedByTheSameCommand) {
  const std::vector<std::string> create = {"create", "cut",   "--template", template_,
                                           "--user", "admin", "--packages", "sl"};
  // SIGINT in the first create, SIGTERM in the rerun that it asks for.
  for (int sig : {SIGINT, SIGTERM}) {
    std::vector<pid_t> in_jail;
    RunResult cut = InterruptInsideApt(create, "cut", sig, &in_jail);
    EXPECT_EQ(cut.exit_code, 130) << cut.out << cut.err;
    EXPECT_NE(cut.err.find(sig == SIGINT ? "interrupted by SIGINT" : "interrupted by SIGTERM"),
              std::string::npos)
        << cut.err;
    EXPECT_NE(cut.out.find("cut is not finished (stopped, partial): ljail"), std::string::npos)
        << cut.out;
    EXPECT_NE(cut.out.find("finishes it"), std::string::npos) << cut.out;
    ASSERT_FALSE(in_jail.empty());
    for (pid_t p : in_jail) EXPECT_FALSE(ProcessAlive(p)) << "pid " << p << " outlived ljail";
    EXPECT_EQ(KeeperPid("cut"), 0) << "the jail is left stopped";
    EXPECT_EQ(HostMountsUnderRoot(), std::vector<std::string>{});
    EXPECT_TRUE(LockFree("cut"));
    EXPECT_NE(Ljail({"list"}).out.find("cut is partial"), std::string::npos);
  }

  RunResult again = Ljail(create);
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  ASSERT_EQ(Ljail({"start", "cut"}).exit_code, 0);
  EXPECT_EQ(Exec("cut", {"sh", "-c", "command -v sl"}, "admin"), "/usr/games/sl\n");

  // pkg on a running jail: apt is stopped, the jail runs on, dpkg's lock is
  // free for the next apt at once.
  std::vector<pid_t> in_jail;
  pid_t keeper = KeeperPid("cut");
  RunResult pkg = InterruptInsideApt({"pkg", "cut", "install", "hello"}, "cut", SIGTERM, &in_jail);
  EXPECT_EQ(pkg.exit_code, 130) << pkg.out << pkg.err;
  EXPECT_EQ(KeeperPid("cut"), keeper) << "a running jail stays running";
  EXPECT_EQ(ProcessesInNamespaceOf(keeper), std::vector<pid_t>{keeper}) << "apt is gone";
  EXPECT_TRUE(LockFree("cut"));
  RunResult installed = Ljail({"pkg", "cut", "install", "hello"});
  EXPECT_EQ(installed.exit_code, 0) << installed.out << installed.err;
  EXPECT_EQ(Exec("cut", {"hello"}), "Hello, world!\n");
}

}  // namespace
}  // namespace ljail::testing
