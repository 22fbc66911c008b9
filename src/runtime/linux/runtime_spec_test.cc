#include "runtime/linux/runtime_spec.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "jailconf/jail_config.h"
#include "jailconf/param_table.h"

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

TEST(RuntimeSpec, RawSocketsAndTheVnetLink) {
  RuntimeSpec plain = SpecOf("t { path = /j; persist; }");
  EXPECT_FALSE(plain.raw_sockets) << "off by default, as in jail(8)";
  EXPECT_FALSE(plain.link.has_value());
  RuntimeSpec s = SpecOf(
      "t { path = /j; persist; allow.raw_sockets; vnet; $ljail_bridge = br7;\n"
      "    $ljail_vnet_ip4 = \"10.1.0.2/24\"; $ljail_vnet_gateway = 10.1.0.1; }");
  EXPECT_TRUE(s.raw_sockets);
  ASSERT_TRUE(s.link.has_value());
  EXPECT_EQ(s.link->bridge, "br7");
  EXPECT_EQ(s.link->ip4, "10.1.0.2/24");
  EXPECT_EQ(s.link->gateway, "10.1.0.1");
  EXPECT_FALSE(SpecOf("t { path = /j; persist; $ljail_bridge = br7; }").link.has_value())
      << "no vnet: the variable is only a variable";
  EXPECT_NE(RefusalOf("t { path = /j; persist; vnet; $ljail_bridge = br7; }")
                .find("$ljail_bridge without $ljail_vnet_ip4"),
            std::string::npos);
}

TEST(RuntimeSpec, RefusesByNameWithFileAndLine) {
  std::string m = RefusalOf("t {\n path = /j;\n persist;\n allow.mlock;\n}\n");
  EXPECT_NE(m.find("/etc/jail.conf.d/t.conf line 4: allow.mlock: the Linux runtime cannot "
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

// The parameter table's Linux column is what the runtime does: a row it
// says is honoured is accepted, every other row is refused by name.
TEST(RuntimeSpec, HonoursExactlyTheTablesLinuxColumn) {
  using jailconf::OnLinux;
  size_t walked = 0;
  for (const jailconf::ParamSpec& p : jailconf::AllParams()) {
    std::string name(p.name);
    if (name == "path" || name == "persist" || name == "mount" ||
        (p.flags & (jailconf::kImmutable | jailconf::kReadOnly)))
      continue;  // given by every block below, or not settable in a file
    std::string value;
    switch (p.type) {
      case jailconf::ParamType::kBool:
        value = "";
        break;
      case jailconf::ParamType::kInt:
        value = " = 1";
        break;
      case jailconf::ParamType::kJailSys:
        value = " = inherit";
        break;
      case jailconf::ParamType::kIp4List:
        value = " = 127.0.0.2";
        break;
      case jailconf::ParamType::kIp6List:
        value = " = \"::1\"";
        break;
      case jailconf::ParamType::kString:
      case jailconf::ParamType::kList:
        value = " = \"x\"";
        break;
    }
    std::string text = "t { path = /j; persist; " + name + value + "; }\n";
    jailconf::JailConfig c =
        jailconf::JailConfig::FromText("/etc/jail.conf.d/t.conf", text, RootFs());
    if (!c.JailIsUsable("t")) continue;  // needs a companion (interface: an address)
    ++walked;
    bool refused = RefusalOf(text).find("cannot honour this parameter") != std::string::npos;
    EXPECT_EQ(refused, p.on_linux == OnLinux::kRefused) << text;
  }
  EXPECT_GT(walked, 60u) << "the walk must reach nearly every row";
  EXPECT_NE(RefusalOf("t { path = /j; persist; ip4 = new; }").find("it honours path"),
            std::string::npos)
      << "inherit only: another value is refused";
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

TEST(RuntimeSpec, AUserNamespaceOfItsOwn) {
  RuntimeSpec s = SpecOf("t { path = /j; persist; $ljail_userns = 1879048192; }\n");
  EXPECT_EQ(s.userns_base, 1879048192u);
  ASSERT_EQ(s.mounts.size(), 1u) << "the tree itself, idmapped";
  EXPECT_EQ(s.mounts[0].ops[0].mount.idmap_base, 1879048192u);
  EXPECT_EQ(SpecOf("t { path = /j; persist; }\n").userns_base, 0u);
  // A range over the host's own ids, past the last id, or not a number.
  for (const char* bad : {"0", "1000", "65535", "4294901760", "-5", "1e9", "0x70000000", ""}) {
    EXPECT_NE(RefusalOf(std::string("t { path = /j; persist; $ljail_userns = \"") + bad + "\"; }\n")
                  .find("$ljail_userns = \"" + std::string(bad) + "\": expected the host id"),
              std::string::npos)
        << bad;
  }
  EXPECT_EQ(SpecOf("t { path = /j; persist; $ljail_userns = 4294901759; }\n").userns_base,
            4294901759u);
  // Root in a user namespace has no capability on the host's network.
  EXPECT_NE(RefusalOf("t { path = /j; persist; allow.raw_sockets; $ljail_userns = 1879048192; }\n")
                .find("allow.raw_sockets with $ljail_userns needs vnet"),
            std::string::npos);
  EXPECT_TRUE(
      SpecOf("t { path = /j; persist; vnet; allow.raw_sockets; $ljail_userns = 1879048192; }\n")
          .raw_sockets);
}

}  // namespace
}  // namespace ljail::host::linux_ns
