// The FreeBSD lines of a generated jail file (vnet, services, resolv.conf),
// read back with the engine and run by this machine's /bin/sh in jail(8)'s
// order, with stubs standing in for /sbin/ifconfig and /usr/sbin/jexec that
// record their arguments.
#include "runtime/freebsd/jail_conf_lines.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "host/process.h"
#include "jail/config_gen.h"
#include "jail/layout.h"
#include "jailconf/jail_config.h"
#include "support/temp_dir.h"

namespace ljail::host::freebsd {
using jail::GenerateJailConf;
using jail::JailConfInput;
using jail::MakeLayout;
namespace {

// A FreeBSD 14.3 jail NAME of Debian bookworm.
JailConfInput FreeBSDJail(const std::string& name, const std::string& epair) {
  JailConfInput in;
  in.spec.name = in.spec.hostname = name;
  in.spec.distro = "debian";
  in.spec.suite = "bookworm";
  in.layout = MakeLayout(Settings(), name, jail::CompatDir("debian"));
  in.template_name = "debian-bookworm-amd64-minbase";
  in.os_lines = JailConfLines("14.3-RELEASE", 51, epair);
  return in;
}

// The values of `param` in the generated file, as jail(8) reads it.
std::vector<std::string> Values(const JailConfInput& in, const std::string& param) {
  jailconf::JailConfig config =
      jailconf::JailConfig::FromText(in.spec.name + ".conf", GenerateJailConf(in), RootFs(""));
  const jailconf::EvaluatedJail* j = config.Find(in.spec.name);
  EXPECT_NE(j, nullptr);
  return j ? j->List(param) : std::vector<std::string>{};
}

class FreeBSDVnetLines : public ::testing::Test {
 protected:
  std::vector<std::string> Values(const std::string& param) {
    JailConfInput in = FreeBSDJail("web", "epair100");
    in.spec.vnet = true;
    in.spec.ip4 = {"10.213.0.2/24"};
    in.spec.bridge = "ljail0";
    in.spec.gateway = "10.213.0.1";
    return freebsd::Values(in, param);
  }
  // Runs the commands; `ifconfig BRIDGE` alone answers as a missing bridge
  // until the stub made it, then as one ljail made with no member left.
  std::string Run(const std::vector<std::string>& commands) {
    std::string log = dir_.Path("log");
    std::string stub =
        dir_.Write("ifconfig", "#!/bin/sh\necho \"$*\" >> " + log +
                                   "\nif [ $# -eq 1 ]; then [ -e " + dir_.Path("bridge") +
                                   " ] || exit 1; echo '\tdescription: made by ljail'; fi\n"
                                   "case \"$*\" in 'bridge create'*) touch " +
                                   dir_.Path("bridge") + ";; esac\nexit 0\n");
    std::filesystem::permissions(stub, std::filesystem::perms::owner_all);
    for (std::string c : commands) {
      for (size_t at; (at = c.find("/sbin/ifconfig")) != std::string::npos;)
        c.replace(at, 14, stub);
      host::ProcessResult r = host::RunCaptured({"/bin/sh", "-c", c});
      EXPECT_EQ(r.exit_code, 0) << c << ": " << r.err << " (jail(8) fails on any non-zero)";
    }
    std::string out = std::filesystem::exists(log) ? dir_.Read("log") : "";
    std::filesystem::remove(log);
    return out;
  }
  testing::TempDir dir_;
};

TEST_F(FreeBSDVnetLines, PrestartMakesTheBridgeAndTheEpair) {
  EXPECT_EQ(Values("vnet.interface"), std::vector<std::string>{"epair100b"});
  EXPECT_EQ(Run(Values("exec.prestart")),
            "ljail0\n"
            "bridge create name ljail0 descr made by ljail up\n"
            "ljail0 inet 10.213.0.1/24\n"
            "epair100a destroy\n"
            "epair100 create up\n"
            "epair100a descr jail:web up\n"
            "ljail0 addm epair100a\n");
  // A second jail finds the bridge there and leaves it alone.
  EXPECT_EQ(Run(Values("exec.prestart")),
            "ljail0\nepair100a destroy\nepair100 create up\nepair100a descr jail:web up\n"
            "ljail0 addm epair100a\n");
}

TEST_F(FreeBSDVnetLines, PoststopRemovesTheEpairAndAnUnusedBridgeOfLjails) {
  Run(Values("exec.prestart"));
  EXPECT_EQ(Run(Values("exec.poststop")), "epair100a destroy\nljail0\nljail0\nljail0 destroy\n");
}

// The FreeBSD lines as jail(8) hands them to sh -c after substitution: the
// file is generated, read back with the engine, and each command run by
// this machine's /bin/sh with a stub standing in for /usr/sbin/jexec that
// records its arguments.
class FreeBSDServiceLines : public ::testing::Test {
 protected:
  std::string Evaluated(const std::string& param, const std::vector<std::string>& services) {
    JailConfInput in = FreeBSDJail("d2l", "");
    in.services = services;
    std::vector<std::string> values = freebsd::Values(in, param);
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

}  // namespace
}  // namespace ljail::host::freebsd
