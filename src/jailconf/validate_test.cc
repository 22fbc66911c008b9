#include "jailconf/validate.h"

#include <gtest/gtest.h>

#include "jailconf/jail_config.h"

namespace ljail::jailconf {
namespace {

std::string Check(const std::string& body) {
  return JailConfig::FromText("t.conf", "j {\n" + body + "\n}\n", RootFs()).evaluation.ToString();
}

TEST(Validate, GoodValuesPass) {
  EXPECT_EQ(Check("persist; allow.mount = true; exec.clean = 0; exec.timeout = 30; "
                  "ip6 = inherit; vnet; securelevel = -1; devfs_ruleset = 5; "
                  "ip4.addr = \"em0|10.0.0.9/24\", 10.0.0.10; ip6.addr = \"fd00::1/64\"; "
                  "allow.mount.linprocfs; linux.osrelease = 5.15.0; exec.clean = \"\";"),
            "");
}

// Newer FreeBSD (docs/freebsd.md §1.2, §2.1): an empty address list, and
// the parameters added since 14.0.
TEST(Validate, EmptyAddressListsAndNewerParameters) {
  EXPECT_EQ(Check("ip4.addr = \"\"; ip6.addr = \"-\";"), "");
  EXPECT_EQ(Check("meta = \"owner=alice\"; env = \"TIER=web\"; allow.vmm_ppt; "
                  "allow.nounprivileged_parent_tampering; zfs.dataset = zroot/j;"),
            "");
  // Only a lone "" or "-" is empty: beside an address it is a bad address.
  EXPECT_EQ(Check("ip4.addr = \"\", 10.0.0.1;"),
            "t.conf line 2: j: ip4.addr: not an IPv4 address: \"\"\n");
  EXPECT_EQ(Check("ip6.addr = \"-\", \"-\";"),
            "t.conf line 2: j: ip6.addr: not an IPv6 address: \"-\"\n"
            "t.conf line 2: j: ip6.addr: not an IPv6 address: \"-\"\n");
}

TEST(Validate, UnknownBooleanValue) {
  EXPECT_EQ(Check("exec.clean = maybe;"),
            "t.conf line 2: j: exec.clean: unknown boolean value \"maybe\"\n");
  EXPECT_EQ(Check("persist = yes;"), "t.conf line 2: j: persist: unknown boolean value \"yes\"\n");
  EXPECT_EQ(Check("allow.noraw_sockets = 1x;"),
            "t.conf line 2: j: allow.noraw_sockets: unknown boolean value \"1x\"\n");
}

TEST(Validate, NonIntegerValue) {
  EXPECT_EQ(Check("exec.timeout = soon;"),
            "t.conf line 2: j: exec.timeout: non-integer value \"soon\"\n");
  EXPECT_EQ(Check("stop.timeout = \"\";"),
            "t.conf line 2: j: stop.timeout: non-integer value \"\"\n");
  EXPECT_EQ(Check("devfs_ruleset = 4.5;"),
            "t.conf line 2: j: devfs_ruleset: non-integer value \"4.5\"\n");
}

TEST(Validate, OnlyTheLastValueOfAScalarCounts) {
  EXPECT_EQ(Check("exec.timeout = soon, 10;"), "");
}

TEST(Validate, JailSysValues) {
  EXPECT_EQ(Check("ip6 = disable; ip4 = new; vnet = 1;"), "");
  EXPECT_EQ(Check("ip6 = off;"), "t.conf line 2: j: ip6: unknown jailsys value \"off\"\n");
}

TEST(Validate, Addresses) {
  EXPECT_EQ(Check("ip4.addr = 10.0.0.300;"),
            "t.conf line 2: j: ip4.addr: not an IPv4 address: \"10.0.0.300\"\n");
  EXPECT_EQ(Check("ip6.addr = 10.0.0.1;"),
            "t.conf line 2: j: ip6.addr: not an IPv6 address: \"10.0.0.1\"\n");
  EXPECT_EQ(Check("ip4.addr = \"lo1|127.0.1.1/32 up\";"), "");
}

TEST(Validate, MountLineNeedsThreeFields) {
  EXPECT_EQ(Check("mount = \"devfs /j/dev\";"),
            "t.conf line 2: j: mount: devfs /j/dev: missing information\n");
  EXPECT_EQ(Check("mount = \"\";"), "") << "jail(8) ignores an empty line";
}

TEST(Validate, ReadOnlyParameter) {
  EXPECT_EQ(Check("dying;"), "t.conf line 2: j: dying: read-only parameter, it cannot be set\n");
}

TEST(Validate, UnknownParameterIsAWarningWithASuggestion) {
  JailConfig c = JailConfig::FromText("t.conf", "j {\n host.hostnmae = x;\n}\n", RootFs());
  EXPECT_FALSE(c.evaluation.HasErrors());
  EXPECT_EQ(c.evaluation.ToString(),
            "t.conf line 2: warning: j: unknown parameter: host.hostnmae (jail(8) fails unless a "
            "loaded kernel module provides it; did you mean host.hostname?)\n");
  EXPECT_TRUE(c.JailIsUsable("j"));
}

TEST(Validate, DynamicFamiliesAreKnown) {
  EXPECT_EQ(Check("allow.mount.nullfs; allow.mount.nozfs; allow.vmm; linux.oss_version = 1;"), "");
}

}  // namespace
}  // namespace ljail::jailconf
