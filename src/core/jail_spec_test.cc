#include "core/jail_spec.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace ljail {
namespace {

std::string UsageMessage(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kUsage);
    return e.what();
  }
  return "<accepted>";
}

TEST(JailSpec, Names) {
  for (const char* ok : {"d2l", "web-1", "My_Jail", "a"})
    EXPECT_NO_THROW(ValidateJailName(ok)) << ok;
  EXPECT_EQ(UsageMessage([] { ValidateJailName("d2l.web"); }),
            "jail name \"d2l.web\": use 1 to 63 letters, digits, '-' or '_' (no '.', which jail(8) "
            "reads as a child jail, and no '/')");
  for (const char* bad : {"", "a/b", "-x", "a b", "*", "x$y", "../x"}) {
    EXPECT_NE(UsageMessage([&] { ValidateJailName(bad); }), "<accepted>") << bad;
  }
  EXPECT_EQ(UsageMessage([] { ValidateJailName("42"); }),
            "jail name \"42\": all digits is a jail id to jail(8); add a letter");
  EXPECT_NE(UsageMessage([] { ValidateJailName(std::string(64, 'a')); }), "<accepted>");
}

TEST(JailSpec, Hostnames) {
  EXPECT_NO_THROW(ValidateHostname("d2l.cloud-atlas.io"));
  for (const char* bad : {"", "-a", "a_b", "a..b", "a b"}) {
    EXPECT_NE(UsageMessage([&] { ValidateHostname(bad); }), "<accepted>") << bad;
  }
}

TEST(JailSpec, Addresses) {
  EXPECT_EQ(ParseIp4("10.0.0.9/24"), "10.0.0.9/24");
  EXPECT_EQ(ParseIp4("10.0.0.9"), "10.0.0.9");
  EXPECT_EQ(UsageMessage([] { ParseIp4("10.0.0.300/24"); }),
            "--ip4 10.0.0.300/24: \"10.0.0.300\" is not an IPv4 address (e.g. 10.0.0.9/24)");
  EXPECT_EQ(UsageMessage([] { ParseIp4("10.0.0.9/33"); }),
            "--ip4 10.0.0.9/33: prefix length 33 is over 32");
  EXPECT_NE(UsageMessage([] { ParseIp4("10.0.0.9/x"); }), "<accepted>");
  EXPECT_EQ(ParseIp6("inherit"), "inherit");
  EXPECT_EQ(ParseIp6("fd00::9/64"), "fd00::9/64");
  EXPECT_NE(UsageMessage([] { ParseIp6("yes"); }), "<accepted>");
  EXPECT_NE(UsageMessage([] { ParseIp6("fd00::9/129"); }), "<accepted>");
}

TEST(JailSpec, Interfaces) {
  EXPECT_NO_THROW(ValidateInterface("wifibox0"));
  EXPECT_NE(UsageMessage([] { ValidateInterface("averyveryverylongname0"); }), "<accepted>");
  EXPECT_NE(UsageMessage([] { ValidateInterface("em 0"); }), "<accepted>");
}

TEST(JailSpec, Shares) {
  Share s = ParseShare("/home");
  EXPECT_EQ(s.host_dir, "/home");
  EXPECT_EQ(s.jail_dir, "/home");
  EXPECT_FALSE(s.read_only);
  s = ParseShare("/srv/data//x/:/data:ro");
  EXPECT_EQ(s.host_dir, "/srv/data/x");
  EXPECT_EQ(s.jail_dir, "/data");
  EXPECT_TRUE(s.read_only);
  EXPECT_EQ(UsageMessage([] { ParseShare("home"); }),
            "--share home: host directory \"home\": expected an absolute path");
  EXPECT_EQ(UsageMessage([] { ParseShare("/srv/../etc"); }),
            "--share /srv/../etc: host directory \"/srv/../etc\": \"..\" is not allowed");
  EXPECT_EQ(UsageMessage([] { ParseShare("/x:/proc/x"); }),
            "--share /x:/proc/x: /proc/x belongs to the Linux system or to ljail's own mounts; "
            "choose another directory in the jail");
  EXPECT_NE(UsageMessage([] { ParseShare("/a:/b:/c"); }), "<accepted>");
  EXPECT_NE(UsageMessage([] { ParseShare("/"); }), "<accepted>");
}

// What a jail may never be given, and what jail.conf would misread.
TEST(JailSpec, SharesOfTheKernelOrOfLjailsOwnStateAreRefused) {
  EXPECT_EQ(UsageMessage([] { ParseShare("/srv/$path:/data"); }),
            "--share /srv/$path:/data: a path with '$' is refused (jail.conf(5) would read it as "
            "a variable)");
  EXPECT_EQ(UsageMessage([] { ParseShare("/proc/1:/data"); }),
            "--share /proc/1:/data: refused: /proc/1 is the host's /proc");
  for (const char* bad : {"/dev:/data", "/sys/fs:/data", "/var/lib/ljail:/data",
                          "/var/lib/ljail/jails/containers/web:/data", "/run/ljail:/data",
                          "/var:/data", "/usr/local/jails/containers:/data"}) {
    EXPECT_NE(UsageMessage([bad] { ParseShare(bad); }).find(": refused: "), std::string::npos)
        << bad;
  }
  EXPECT_EQ(ParseShare("/var/lib/ljail-data:/data").host_dir, "/var/lib/ljail-data");
  EXPECT_EQ(ParseShare("/devel:/data").host_dir, "/devel");
}

TEST(JailSpec, DuplicateShareTargets) {
  JailSpec spec;
  spec.name = "a";
  spec.hostname = "a";
  spec.shares = {ParseShare("/home"), ParseShare("/srv/home:/home")};
  EXPECT_EQ(UsageMessage([&] { ValidateJailSpec(spec); }),
            "--share: /home is given twice as a jail directory");
}

}  // namespace
}  // namespace ljail
