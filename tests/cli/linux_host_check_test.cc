// `ljail host check` on a Linux host reports the running kernel's facts.
#include <gtest/gtest.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "support/run_ljail.h"
#include "support/temp_dir.h"

namespace ljail {
namespace {

using testing::RunLjail;
using testing::RunResult;

TEST(LinuxHostCheck, ReportsTheRunningKernelAndTheUser) {
  testing::TempDir root;
  RunResult r = RunLjail({"--root", root.path(), "host", "check", "--json"});
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["host"]["os"], "linux");
  EXPECT_EQ(j["settings"]["jails_dir"], "/var/lib/ljail/jails");
  std::map<std::string, nlohmann::json> checks;
  for (const auto& c : j["checks"]) checks[c["check"].get<std::string>()] = c;
  ASSERT_TRUE(checks.count("running as root")) << r.out;
  EXPECT_EQ(checks["running as root"]["ok"].get<bool>(), ::geteuid() == 0);
  struct utsname u {};
  ::uname(&u);
  EXPECT_EQ(checks["kernel 5.3 or later (pidfd)"]["detail"], std::string("running ") + u.release);
  EXPECT_EQ(r.exit_code, j["ready"].get<bool>() ? 0 : 1);
}

TEST(LinuxHostCheck, FreeBSDOnlyOptionsAreBadInput) {
  testing::TempDir root;
  RunResult r = RunLjail({"--root", root.path(), "host", "init", "--zfs-root", "zroot/jails"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--zfs-root, --jails-dir and --release are for FreeBSD hosts"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(root.Path("usr/local/etc/ljail.conf")));
}

}  // namespace
}  // namespace ljail
