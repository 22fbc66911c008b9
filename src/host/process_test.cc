#include "host/process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "core/error.h"

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
