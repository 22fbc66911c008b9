// The FreeBSD vnet lines of a generated jail file, read back with the
// engine and run by this machine's /bin/sh in jail(8)'s order, with a stub
// standing in for /sbin/ifconfig that records its arguments.
#include <gtest/gtest.h>

#include <filesystem>

#include "host/process.h"
#include "jail/config_gen.h"
#include "jail/layout.h"
#include "jailconf/jail_config.h"
#include "support/temp_dir.h"

namespace ljail::jail {
namespace {

class FreeBSDVnetLines : public ::testing::Test {
 protected:
  std::vector<std::string> Values(const std::string& param) {
    Settings settings;
    JailConfInput in;
    in.spec.name = "web";
    in.spec.hostname = "web";
    in.spec.distro = "debian";
    in.spec.suite = "bookworm";
    in.spec.vnet = true;
    in.spec.ip4 = {"10.213.0.2/24"};
    in.spec.bridge = "ljail0";
    in.spec.gateway = "10.213.0.1";
    in.layout = MakeLayout(settings, "web", "debian");
    in.template_name = "debian-bookworm-amd64-minbase";
    in.release = "14.3-RELEASE";
    in.devfs_ruleset = 51;
    in.epair = "epair100";
    jailconf::JailConfig config =
        jailconf::JailConfig::FromText("web.conf", GenerateJailConf(in), RootFs(""));
    const jailconf::EvaluatedJail* j = config.Find("web");
    EXPECT_NE(j, nullptr);
    return j ? j->List(param) : std::vector<std::string>{};
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
            "epair100 create up\n"
            "epair100a descr jail:web up\n"
            "ljail0 addm epair100a\n");
  // A second jail finds the bridge there and leaves it alone.
  EXPECT_EQ(Run(Values("exec.prestart")),
            "ljail0\nepair100 create up\nepair100a descr jail:web up\nljail0 addm epair100a\n");
}

TEST_F(FreeBSDVnetLines, PoststopRemovesTheEpairAndAnUnusedBridgeOfLjails) {
  Run(Values("exec.prestart"));
  EXPECT_EQ(Run(Values("exec.poststop")), "epair100a destroy\nljail0\nljail0\nljail0 destroy\n");
}

}  // namespace
}  // namespace ljail::jail
