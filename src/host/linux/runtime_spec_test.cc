#include "host/linux/runtime_spec.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "jailconf/jail_config.h"

namespace ljail::host::linux_ns {
namespace {

RuntimeSpec SpecOf(const std::string& text) {
  jailconf::JailConfig c =
      jailconf::JailConfig::FromText("/etc/jail.conf.d/t.conf", text, RootFs());
  EXPECT_TRUE(c.JailIsUsable("t")) << text;
  return MakeRuntimeSpec(*c.Find("t"), [](const std::string& p) { return p; });
}

std::string RefusalOf(const std::string& text) {
  try {
    SpecOf(text);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kUsage);
    return e.what();
  }
  return "(accepted)";
}

TEST(RuntimeSpec, ReadsTheHonouredParameters) {
  RuntimeSpec s = SpecOf(
      "t { path = /j/; host.hostname = web.lab; persist; vnet; stop.timeout = 3; exec.clean;\n"
      "    ip4 = inherit; mount += \"linprocfs $path/proc linprocfs rw 0 0\"; }\n");
  EXPECT_EQ(s.path, "/j");
  EXPECT_EQ(s.hostname, "web.lab");
  EXPECT_TRUE(s.vnet);
  EXPECT_EQ(s.stop_timeout, 3);
  ASSERT_EQ(s.mounts.size(), 1u);
  EXPECT_EQ(s.mounts[0].ops[0].mount.target, "/j/proc");
}

TEST(RuntimeSpec, RefusesByNameWithFileAndLine) {
  std::string m = RefusalOf("t {\n path = /j;\n persist;\n allow.raw_sockets;\n}\n");
  EXPECT_NE(m.find("/etc/jail.conf.d/t.conf line 4: allow.raw_sockets: the Linux runtime cannot "
                   "honour this parameter"),
            std::string::npos)
      << m;
  EXPECT_NE(RefusalOf("t { path = /j; persist; ip4.addr = 10.0.0.2; }").find("vnet"),
            std::string::npos);
  EXPECT_NE(
      RefusalOf("t { path = /j; persist; exec.start = \"/bin/true\"; }").find("ljail service"),
      std::string::npos);
  EXPECT_NE(RefusalOf("t { path = /j; persist; ip6 = disable; }").find("ip6"), std::string::npos);
}

TEST(RuntimeSpec, NeedsPathAndPersist) {
  EXPECT_NE(RefusalOf("t { persist; }").find("no path"), std::string::npos);
  EXPECT_NE(RefusalOf("t { path = /j; }").find("persist is not set"), std::string::npos);
  EXPECT_NE(RefusalOf("t { path = /j; nopersist; }").find("persist is not set"), std::string::npos);
  EXPECT_NE(RefusalOf("t { path = /; persist; }").find("other than /"), std::string::npos);
}

TEST(RuntimeSpec, MountProblemsNameTheMountStatement) {
  std::string m =
      RefusalOf("t {\n path = /j;\n persist;\n mount += \"procfs /j/proc procfs rw\";\n}\n");
  EXPECT_NE(m.find("t.conf line 4: mount \"procfs"), std::string::npos) << m;
}

}  // namespace
}  // namespace ljail::host::linux_ns
