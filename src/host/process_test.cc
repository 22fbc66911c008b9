#include "host/process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "core/error.h"
#include "host/interrupt.h"
#include "support/temp_dir.h"

namespace ljail::host {
namespace {

TEST(Process, CapturesOutputAndExitCode) {
  ProcessResult r = RunCaptured({"sh", "-c", "echo out; echo err >&2; exit 3"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
  EXPECT_FALSE(r.ok());
}

TEST(Process, ArgvIsNeverASplitString) {
  ProcessResult r = RunCaptured({"printf", "%s|", "a b", "$HOME", "'q'"});
  EXPECT_EQ(r.out, "a b|$HOME|'q'|");
}

TEST(Process, FeedsStdinAndSetsEnvironment) {
  Command c = Command{"sh", "-c", "cat; echo \"$LJAIL_T\""}.Env("LJAIL_T", "v").Input("in\n");
  EXPECT_EQ(RunCaptured(c).out, "in\nv\n");
}

TEST(Process, OnlyTheStandardDescriptorsReachTheProgram) {
  int leaked = ::open("/dev/null", O_RDONLY);  // no O_CLOEXEC, as a careless caller
  ASSERT_GE(leaked, 3);
  ProcessResult r = RunCaptured({"sh", "-c", "ls /proc/$$/fd"});
  ::close(leaked);
  EXPECT_EQ(r.out, "0\n1\n2\n") << "descriptor " << leaked << " leaked into the program";
}

TEST(Process, LargeOutputDoesNotDeadlock) {
  ProcessResult r =
      RunCaptured({"sh", "-c", "head -c 3000000 /dev/zero; head -c 300000 /dev/zero >&2"});
  EXPECT_EQ(r.out.size(), 3000000u);
  EXPECT_EQ(r.err.size(), 300000u);
}

TEST(Process, TimeoutKillsTheChild) {
  Command c = Command{"sleep", "10"}.Timeout(std::chrono::milliseconds(200));
  auto start = std::chrono::steady_clock::now();
  ProcessResult r = RunCaptured(c);
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.exit_code, 128 + SIGTERM);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

// A tree can make `cat /etc/passwd` endless: past the cap the command is
// stopped and the run fails, instead of ljail's memory filling up.
TEST(Process, EndlessOutputIsStoppedAtTheCap) {
  try {
    RunCaptured({"cat", "/dev/zero"});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "cat /dev/zero: more than 64 MiB of output (stopped there)");
  }
}

// While interruptions are handled, a signal for ljail stops the command's
// whole process group (a child it forked too), and the run ends in exit 130.
TEST(Process, AnInterruptStopsTheCommandsProcessGroup) {
  ljail::testing::TempDir dir;
  const std::string pid_file = dir.Path("sleeper.pid");
  InterruptScope interrupts;
  std::thread signaller([] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ::kill(::getpid(), SIGINT);
  });
  try {
    RunCaptured({"sh", "-c", "sleep 100 & echo $! > \"$1\"; wait", "sh", pid_file});
    ADD_FAILURE() << "not interrupted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kInterrupted);
    EXPECT_NE(std::string(e.what()).find("interrupted by SIGINT"), std::string::npos) << e.what();
  }
  signaller.join();
  EXPECT_EQ(PendingInterrupt(), 0) << "handled";
  std::string pid;
  std::ifstream(pid_file) >> pid;
  ASSERT_FALSE(pid.empty());
  // Gone, or a zombie waiting for init: either way not running.
  auto running = [&] {
    std::ifstream stat("/proc/" + pid + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    size_t close = text.rfind(')');
    return close != std::string::npos && close + 2 < text.size() && text[close + 2] != 'Z';
  };
  for (int i = 0; i < 100 && running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(running()) << "the command's child outlived the interruption";
  // Handled: the next command runs.
  EXPECT_EQ(RunCaptured({"true"}).exit_code, 0);
}

TEST(Process, MissingProgramIsAnErrorWithItsName) {
  try {
    RunCaptured({"ljail-no-such-program"});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "run \"ljail-no-such-program\": No such file or directory");
  }
}

TEST(Process, ShellQuoting) {
  EXPECT_EQ(ShellQuote({"zfs", "create", "-p", "zroot/jails"}), "zfs create -p zroot/jails");
  EXPECT_EQ(ShellQuote({"sysrc", "linux_enable=YES"}), "sysrc linux_enable=YES");
  EXPECT_EQ(ShellQuote({"echo", "a b", "it's", ""}), "echo 'a b' 'it'\\''s' ''");
}

}  // namespace
}  // namespace ljail::host
