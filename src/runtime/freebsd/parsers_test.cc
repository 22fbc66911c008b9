// Parsers of FreeBSD command output, on the shapes the sources document.
#include <gtest/gtest.h>

#include "core/error.h"
#include "runtime/freebsd/jails.h"
#include "runtime/freebsd/mounts.h"
#include "runtime/freebsd/release.h"

namespace ljail::host::freebsd {
namespace {

TEST(JlsJson, VerboseView) {
  std::vector<RunningJail> jails = ParseJlsJson(R"({"__version": "2", "jail-information": {"jail": [
    {"jid": 3, "hostname": "d2l.cloud-atlas.io", "path": "/usr/local/jails/containers/d2l",
     "name": "d2l", "state": "ACTIVE", "cpusetid": 4,
     "ipv4_addrs": ["10.0.0.9"], "ipv6_addrs": []}]}})");
  ASSERT_EQ(jails.size(), 1u);
  EXPECT_EQ(jails[0].jid, 3);
  EXPECT_EQ(jails[0].name, "d2l");
  EXPECT_EQ(jails[0].ip4, std::vector<std::string>({"10.0.0.9"}));
  EXPECT_FALSE(jails[0].dying);
}

TEST(JlsJson, OtherAddressShapesAndStringJids) {
  // Param mode quotes every value (%s) and may nest leaf-lists.
  std::vector<RunningJail> jails = ParseJlsJson(R"({"jail-information": {"jail": [
    {"jid": "7", "name": "a", "state": "DYING", "ip4.addr": [{"ipv4_addr": "10.0.0.1"}, {"ipv4_addr": "10.0.0.2"}]},
    {"jid": 8, "name": "b", "ip4.addr": "10.0.0.3,10.0.0.4", "ip6.addr": "-"}]}})");
  ASSERT_EQ(jails.size(), 2u);
  EXPECT_EQ(jails[0].jid, 7);
  EXPECT_TRUE(jails[0].dying);
  EXPECT_EQ(jails[0].ip4, std::vector<std::string>({"10.0.0.1", "10.0.0.2"}));
  EXPECT_EQ(jails[1].ip4, std::vector<std::string>({"10.0.0.3", "10.0.0.4"}));
  EXPECT_TRUE(jails[1].ip6.empty());
}

TEST(JlsJson, NoJailsAndGarbage) {
  EXPECT_TRUE(ParseJlsJson(R"({"__version": "2", "jail-information": {"jail": []}})").empty());
  EXPECT_THROW(ParseJlsJson("jls: not json"), Error);
}

TEST(Manifest, FindsTheLine) {
  std::string manifest = "base-dbg.txz\t" + std::string(64, 'b') +
                         "\t10\tbase_dbg\t\"Base debug\"\toff\n"
                         "base.txz\t" +
                         std::string(64, 'a') + "\t27631\tbase\t\"Base system (MANDATORY)\"\ton\n";
  std::optional<ManifestEntry> e = FindInManifest(manifest, "base.txz");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->sha256, std::string(64, 'a'));
  EXPECT_EQ(e->entries, 27631u);
  EXPECT_FALSE(FindInManifest(manifest, "kernel.txz"));
  EXPECT_FALSE(FindInManifest("base.txz\tnothex\t1\n", "base.txz"));
}

TEST(ReleaseUrl, Layout) {
  EXPECT_EQ(ReleaseUrl("https://download.freebsd.org/", "amd64", "14.3-RELEASE"),
            "https://download.freebsd.org/releases/amd64/amd64/14.3-RELEASE");
  EXPECT_EQ(ReleaseUrl("https://download.freebsd.org", "arm64", "14.3-RELEASE"),
            "https://download.freebsd.org/releases/arm64/aarch64/14.3-RELEASE");
}

}  // namespace
}  // namespace ljail::host::freebsd
