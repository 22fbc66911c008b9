#include "jail/tree_settings.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.h"
#include "support/temp_dir.h"

namespace ljail::jail {
namespace {

std::string UsageMessage(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kUsage) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

TEST(TreeSettings, DnsModes) {
  EXPECT_EQ(ParseDnsMode("copy").kind, DnsMode::Kind::kCopy);
  EXPECT_EQ(ParseDnsMode("none").kind, DnsMode::Kind::kNone);
  DnsMode s = ParseDnsMode("static:9.9.9.9,2620:fe::fe");
  EXPECT_EQ(s.servers, (std::vector<std::string>{"9.9.9.9", "2620:fe::fe"}));
  EXPECT_EQ(s.Text(), "static:9.9.9.9,2620:fe::fe");
  EXPECT_EQ(*ResolvConfFor(s, "nameserver 1.1.1.1\n"),
            "# Written by ljail (--dns static:9.9.9.9,2620:fe::fe).\n"
            "nameserver 9.9.9.9\nnameserver 2620:fe::fe\n");
  EXPECT_FALSE(ResolvConfFor(ParseDnsMode("none"), "x").has_value());
  for (const char* bad : {"", "dhcp", "static:", "static:1.2.3", "static:1.1.1.1,,8.8.8.8",
                          "static:1.1.1.1,1.0.0.1,8.8.8.8,8.8.4.4", "static:example.com"}) {
    EXPECT_FALSE(UsageMessage([&] { ParseDnsMode(bad); }).empty()) << bad;
  }
}

TEST(TreeSettings, CopyLooksBehindTheSystemdStub) {
  testing::TempDir root;
  host::Host host{RootFs(root.path()), host::HostOs::kLinux};
  root.Write("etc/resolv.conf", "nameserver 127.0.0.53\noptions edns0 trust-ad\n");
  EXPECT_EQ(HostResolvConf(host), "nameserver 127.0.0.53\noptions edns0 trust-ad\n")
      << "no upstream file: the stub is all there is";
  root.Write("run/systemd/resolve/resolv.conf", "nameserver 10.1.1.1\n");
  EXPECT_EQ(HostResolvConf(host), "nameserver 10.1.1.1\n");
  root.Write("etc/resolv.conf", "nameserver 192.168.0.1\n");
  EXPECT_EQ(HostResolvConf(host), "nameserver 192.168.0.1\n") << "a real resolver is kept";
}

TEST(TreeSettings, HostTimezoneOnBothSystems) {
  testing::TempDir root;
  host::Host host{RootFs(root.path()), host::HostOs::kLinux};
  EXPECT_EQ(HostTimezone(host), "Etc/UTC");
  root.Write("var/db/zoneinfo", "Asia/Shanghai\n");  // FreeBSD's tzsetup
  EXPECT_EQ(HostTimezone(host), "Asia/Shanghai");
  std::filesystem::create_directories(root.Path("etc"));
  std::filesystem::create_symlink("../usr/share/zoneinfo/Europe/Berlin",
                                  root.Path("etc/localtime"));
  EXPECT_EQ(HostTimezone(host), "Europe/Berlin");
}

TEST(TreeSettings, UnknownZonesAreNamedWithTheClosestValidOnes) {
  testing::TempDir root;
  for (const char* zone : {"Asia/Shanghai", "Asia/Singapore", "Etc/UTC", "Europe/Berlin"})
    root.Write(std::string("usr/share/zoneinfo/") + zone, "TZif2");
  root.Write("usr/share/zoneinfo/zone1970.tab", "#\n");
  host::Host host{RootFs(root.path()), host::HostOs::kLinux};
  ValidateTimezone(host, "Asia/Shanghai", "/usr/share/zoneinfo");
  std::string m =
      UsageMessage([&] { ValidateTimezone(host, "Asia/Shangai", "/usr/share/zoneinfo"); });
  EXPECT_NE(m.find("(closest: Asia/Shanghai)"), std::string::npos) << m;
  for (const char* bad :
       {"../../etc/passwd", "/etc/passwd", "zone1970.tab", "Asia", "", "Mars/Base"})
    UsageMessage([&] { ValidateTimezone(host, bad, "/usr/share/zoneinfo"); });
}

TEST(TreeSettings, Locales) {
  for (const char* ok :
       {"C.UTF-8", "en_US.UTF-8", "zh_CN.UTF-8", "ast_ES.UTF-8", "sr_RS.UTF-8@latin"})
    ValidateLocale(ok);
  for (const char* bad :
       {"", "C", "en_US", "en_US.ISO-8859-1", "EN_us.UTF-8", "en_US.utf8", "x.UTF-8"})
    UsageMessage([&] { ValidateLocale(bad); });
  EXPECT_EQ(LocaleGenLine("zh_CN.UTF-8"), "zh_CN.UTF-8 UTF-8");
}

}  // namespace
}  // namespace ljail::jail
