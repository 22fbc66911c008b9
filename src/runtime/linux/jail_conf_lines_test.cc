// The Linux-host jail file, read back with the engine as the Linux runtime
// (and jail(8)) reads it.
#include "runtime/linux/jail_conf_lines.h"

#include <gtest/gtest.h>

#include "core/mount_table.h"
#include "jailconf/jail_config.h"

namespace ljail::host::linux_ns {
using jail::GenerateJailConf;
using jail::JailConfInput;
namespace {

const jailconf::EvaluatedJail& Read(const JailConfInput& in, jailconf::JailConfig* config) {
  *config = jailconf::JailConfig::FromText("t.conf", GenerateJailConf(in), RootFs(""));
  const jailconf::EvaluatedJail* j = config->Find(in.spec.name);
  EXPECT_NE(j, nullptr);
  return *j;
}

JailConfInput LinuxJail(const std::string& jails_dir) {
  Settings settings;
  settings.jails_dir = jails_dir;
  JailConfInput in;
  in.spec.name = in.spec.hostname = "t";
  in.spec.distro = "debian";
  in.spec.suite = "bookworm";
  in.spec.shares = {{"/srv/a b", "/srv/a b", false}};
  in.os_lines = JailConfLines(0);
  in.layout = jail::MakeLayout(settings, "t", "");
  return in;
}

// jail(8) splits a mount line into fields after expanding $path: a path
// with a blank is written out, escaped, instead.
TEST(GenerateJailConf, MountPointsSurviveABlankInThePath) {
  for (const char* dir : {"/var/lib/ljail/jails", "/var/lib/ljail/my jails"}) {
    JailConfInput in = LinuxJail(dir);
    jailconf::JailConfig config;
    const jailconf::EvaluatedJail& j = Read(in, &config);
    std::vector<std::string> mounts = j.List("mount");
    ASSERT_FALSE(mounts.empty());
    for (const std::string& line : mounts) {
      std::vector<std::string> f = FstabFields(line);
      ASSERT_GE(f.size(), 4u) << line;
      EXPECT_TRUE(f[1].starts_with(in.layout.path + "/")) << line << " for " << dir;
    }
    EXPECT_EQ(FstabFields(mounts.back())[0], "/srv/a b");
  }
}

TEST(GenerateJailConf, AUserNamespaceIsAVariableWithItsReason) {
  JailConfInput in = LinuxJail("/var/lib/ljail/jails");
  in.os_lines = JailConfLines(1879048192);
  jailconf::JailConfig config;
  EXPECT_EQ(Read(in, &config).Variable("ljail_userns"), "1879048192");
  EXPECT_NE(GenerateJailConf(in).find("host ids 1879048192-1879113727"), std::string::npos);
  in.os_lines = JailConfLines(0);
  EXPECT_EQ(Read(in, &config).Variable("ljail_userns"), std::nullopt);
}

}  // namespace
}  // namespace ljail::host::linux_ns
