#include "jail/services.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.h"
#include "core/strings.h"
#include "jail/config_gen.h"
#include "jail/layout.h"
#include "jailconf/jail_config.h"
#include "support/temp_dir.h"

namespace ljail::jail {
namespace {

// The FreeBSD lines as jail(8) hands them to sh -c after substitution: the
// file is generated, read back with the engine, and each command run by
// this machine's /bin/sh with a stub standing in for /usr/sbin/jexec that
// records its arguments.
class FreeBSDServiceLines : public ::testing::Test {
 protected:
  std::string Evaluated(const std::string& param, const std::vector<std::string>& services) {
    Settings settings;
    JailConfInput in;
    in.spec.name = "d2l";
    in.spec.hostname = "d2l";
    in.spec.distro = "debian";
    in.spec.suite = "bookworm";
    in.layout = MakeLayout(settings, "d2l", "debian");
    in.template_name = "debian-bookworm-amd64-minbase";
    in.release = "14.3-RELEASE";
    in.devfs_ruleset = 51;
    in.services = services;
    jailconf::JailConfig config =
        jailconf::JailConfig::FromText("d2l.conf", GenerateJailConf(in), RootFs(""));
    const jailconf::EvaluatedJail* j = config.Find("d2l");
    EXPECT_NE(j, nullptr);
    std::vector<std::string> values = j ? j->List(param) : std::vector<std::string>{};
    EXPECT_EQ(values.size(), 1u) << param;
    return values.empty() ? "" : values[0];
  }
  std::string RunWithStub(std::string command) {
    std::string stub = dir_.Write("jexec", "#!/bin/sh\necho \"$*\" >> " + dir_.Path("log") + "\n");
    std::filesystem::permissions(stub, std::filesystem::perms::owner_all);
    for (size_t at; (at = command.find("/usr/sbin/jexec")) != std::string::npos;)
      command.replace(at, 15, stub);
    host::ProcessResult r = host::RunCaptured({"/bin/sh", "-c", command});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return std::filesystem::exists(dir_.Path("log")) ? dir_.Read("log") : "";
  }
  testing::TempDir dir_;
};

TEST_F(FreeBSDServiceLines, StartInOrderStopInReverse) {
  const std::string prefix =
      "d2l /usr/sbin/chroot /compat/debian /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin ";
  EXPECT_EQ(RunWithStub(Evaluated("exec.poststart", {"cron", "ssh"})),
            prefix + "/etc/init.d/cron start\n" + prefix + "/etc/init.d/ssh start\n");
  std::filesystem::remove(dir_.Path("log"));
  EXPECT_EQ(RunWithStub(Evaluated("exec.prestop", {"cron", "ssh"})),
            prefix + "/etc/init.d/ssh stop\n" + prefix + "/etc/init.d/cron stop\n");
}

TEST_F(FreeBSDServiceLines, NoServicesRunNothingAndSucceed) {
  EXPECT_EQ(RunWithStub(Evaluated("exec.poststart", {})), "");
  EXPECT_EQ(RunWithStub(Evaluated("exec.prestop", {})), "");
}

TEST_F(FreeBSDServiceLines, ResolvConfIsCopiedFromInside) {
  std::string line = Evaluated("exec.created", {});
  EXPECT_EQ(line,
            "/usr/sbin/jexec d2l /usr/sbin/chroot /compat/debian /bin/sh -c 'rm -f "
            "/etc/resolv.conf && cat > /etc/resolv.conf' < /etc/resolv.conf");
}

TEST(Services, NamesAreInitScriptNames) {
  ValidateServiceName("ssh");
  ValidateServiceName("postgresql@15-main");
  for (const char* bad : {"", "../x", "a/b", ".hidden", "-x", "a b", "a;b"})
    EXPECT_THROW(ValidateServiceName(bad), Error) << bad;
}

TEST(Services, CommandScriptIsValidShell) {
  std::string script = CommandInitScript("ticker", "sh -c 'while :; do sleep 1; done'", "admin");
  host::ProcessResult r = host::RunCaptured({"/bin/sh", "-n", "-c", script});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(script.find("COMMAND='sh -c '\\''while :; do sleep 1; done'\\'''"), std::string::npos)
      << script;
  EXPECT_NE(script.find("--chuid admin"), std::string::npos);
}

}  // namespace
}  // namespace ljail::jail
