#include "jail/tree_settings.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

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

// A login's LANG: the caller's if the tree has it compiled, else the
// tree's default from /etc/default/locale, else C.UTF-8; the tree's files
// are data (a FIFO or a name with shell syntax counts as nothing).
TEST(TreeSettings, LoginLocaleFollowsWhatTheTreeHasCompiled) {
  testing::TempDir dir;
  const std::string& root = dir.path();
  namespace fs = std::filesystem;
  fs::create_directories(root + "/usr/lib/locale/C.utf8");
  fs::create_directories(root + "/etc/default");
  auto tree = [&] { return TreeFs::Open(root, "/t"); };
  EXPECT_EQ(LoginLocale(tree(), "de_DE.UTF-8"), "C.UTF-8") << "nothing compiled";
  EXPECT_EQ(LoginLocale(tree(), "C.UTF-8"), "C.UTF-8");
  EXPECT_EQ(LoginLocale(tree(), ""), "C.UTF-8");

  // locale-gen's archive and its lines: the caller's locale when listed.
  std::ofstream(root + "/usr/lib/locale/locale-archive") << "archive";
  std::ofstream(root + "/etc/locale.gen") << "# en_US.UTF-8 UTF-8\nzh_CN.UTF-8 UTF-8\n";
  EXPECT_EQ(LoginLocale(tree(), "zh_CN.UTF-8"), "zh_CN.UTF-8");
  EXPECT_EQ(LoginLocale(tree(), "en_US.UTF-8"), "C.UTF-8") << "a comment is not generated";

  // The tree's default, what create --locale writes, when the caller's is missing.
  std::ofstream(root + "/etc/default/locale") << "LANG=zh_CN.UTF-8\n";
  EXPECT_EQ(LoginLocale(tree(), "en_US.UTF-8"), "zh_CN.UTF-8");
  EXPECT_EQ(LoginLocale(tree(), "C"), "zh_CN.UTF-8");
  EXPECT_EQ(LoginLocale(tree(), "C.UTF-8"), "zh_CN.UTF-8") << "C.UTF-8 names no language";
  std::ofstream(root + "/etc/default/locale") << "LANG=\"zh_CN.UTF-8\"\n";
  EXPECT_EQ(LoginLocale(tree(), ""), "zh_CN.UTF-8") << "update-locale may quote it";
  std::ofstream(root + "/etc/default/locale") << "LANG=de_DE.UTF-8\n";
  EXPECT_EQ(LoginLocale(tree(), ""), "C.UTF-8") << "a default that is not compiled";

  // Hostile files: a FIFO, and a name that is not a locale's.
  std::ofstream(root + "/etc/default/locale") << "LANG=$(reboot)\n";
  EXPECT_EQ(LoginLocale(tree(), "x;y"), "C.UTF-8");
  fs::remove(root + "/etc/locale.gen");
  ASSERT_EQ(::mkfifo((root + "/etc/locale.gen").c_str(), 0644), 0);
  EXPECT_EQ(LoginLocale(tree(), "zh_CN.UTF-8"), "C.UTF-8") << "a FIFO neither hangs nor lists";
}

}  // namespace
}  // namespace ljail::jail
