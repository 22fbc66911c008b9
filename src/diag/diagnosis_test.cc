#include "diag/diagnosis.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace ljail::diag {
namespace {

// Probe output as recorded in the seed's jail on FreeBSD 14: d2l shares the
// host's stack with ip4.addr 10.0.0.9, no ip6, no allow.raw_sockets,
// resolver 192.168.0.1 (a local_unbound that serves the host's LAN only).
constexpr const char* kSeedAsAdmin = R"(PROBE resolv_conf - ok 0 192.168.0.1
PROBE ip_recverr 192.168.0.1 ok 0 accepted
PROBE udp_dns 192.168.0.1 fail 111 Connection refused
PROBE tcp_connect 192.168.0.1 ok 0 port 53 open
PROBE tcp_dns 192.168.0.1 ok 0 101 bytes answered
PROBE libc_lookup deb.debian.org fail -3 Temporary failure in name resolution
PROBE icmp_dgram - fail 93 Protocol not supported
PROBE icmp_raw - fail 1 Operation not permitted
PROBE inet6_socket - fail 93 Protocol not supported
PROBE netlink_route - ok 0 link dump answered
PROBE bind 127.0.0.1 ok 0 bound 10.0.0.9
PROBE bind ::1 fail 93 Protocol not supported
PROBE bind localhost fail 93 Protocol not supported
)";

JailNetwork SeedJail(const std::string& user) {
  JailNetwork n;
  n.jail = "d2l";
  n.freebsd = true;
  n.ip4 = {"10.0.0.9/24"};
  n.user = user;
  n.ignore_ip_recverr = true;
  return n;
}

const Finding& Get(const std::vector<Finding>& findings, const std::string& check_start) {
  auto it = std::find_if(findings.begin(), findings.end(),
                         [&](const Finding& f) { return f.check.rfind(check_start, 0) == 0; });
  if (it == findings.end()) {
    ADD_FAILURE() << "no finding " << check_start;
    static const Finding none;
    return none;
  }
  return *it;
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(Probe, ParsesTheScriptsLines) {
  std::vector<ProbeResult> p = ParseProbeOutput(
      "noise\nPROBE udp_dns 192.168.0.1 fail 111 Connection refused\nPROBE icmp_raw - ok 0 "
      "raw ICMP socket\nPROBE broken\n");
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].name, "udp_dns");
  EXPECT_EQ(p[0].target, "192.168.0.1");
  EXPECT_FALSE(p[0].ok);
  EXPECT_EQ(p[0].error, 111);
  EXPECT_EQ(p[0].detail, "Connection refused");
  EXPECT_EQ(p[1].target, "");
  EXPECT_TRUE(p[1].ok);
}

TEST(Diagnosis, TheSeedsDigConnectionRefusedIsUdpAloneNotTheJail) {
  auto f = Diagnose(ParseProbeOutput(kSeedAsAdmin), SeedJail("admin"));
  const Finding& udp = Get(f, "UDP DNS to 192.168.0.1");
  EXPECT_EQ(udp.verdict, Verdict::kFail);
  EXPECT_TRUE(Has(udp.cause, "port unreachable")) << udp.cause;
  EXPECT_TRUE(Has(udp.cause, "TCP to the same resolver works")) << udp.cause;
  EXPECT_TRUE(Has(udp.cause, "10.0.0.9")) << "queries leave from the jail's address";
  EXPECT_TRUE(Has(udp.fix, "ljail set d2l dns=static:ADDR")) << udp.fix;
  EXPECT_EQ(Get(f, "TCP DNS to 192.168.0.1").verdict, Verdict::kOk);
  EXPECT_EQ(Get(f, "name lookup of deb.debian.org").verdict, Verdict::kFail);
}

TEST(Diagnosis, TheSeedsUserPingNeedsRootAndRawSockets) {
  auto f = Diagnose(ParseProbeOutput(kSeedAsAdmin), SeedJail("admin"));
  const Finding& ping = Get(f, "ping (ICMP) as admin");
  EXPECT_EQ(ping.verdict, Verdict::kWarn);
  EXPECT_TRUE(Has(ping.cause, "FreeBSD has no unprivileged ICMP sockets")) << ping.cause;
  EXPECT_TRUE(Has(ping.cause, "raw sockets need root")) << ping.cause;
  EXPECT_TRUE(Has(ping.cause, "setcap cannot help")) << ping.cause;
  EXPECT_TRUE(Has(ping.fix, "chmod u+s")) << ping.fix;
  EXPECT_TRUE(Has(ping.fix, "ljail set d2l allow.raw_sockets=true")) << ping.fix;
  // As root the missing piece is allow.raw_sockets alone.
  auto as_root = Diagnose(ParseProbeOutput(kSeedAsAdmin), SeedJail(""));
  const Finding& root_ping = Get(as_root, "ping (ICMP) as root");
  EXPECT_TRUE(Has(root_ping.cause, "allow.raw_sockets")) << root_ping.cause;
  EXPECT_EQ(root_ping.fix, "ljail set d2l allow.raw_sockets=true");
}

TEST(Diagnosis, TheSeedsJupyterErrno93IsAJailWithoutIpv6) {
  auto f = Diagnose(ParseProbeOutput(kSeedAsAdmin), SeedJail("admin"));
  const Finding& v6 = Get(f, "IPv6 sockets");
  EXPECT_EQ(v6.verdict, Verdict::kFail);
  EXPECT_TRUE(Has(v6.cause, "errno 93")) << v6.cause;
  EXPECT_EQ(v6.fix, "ljail set d2l ip6=inherit");
  const Finding& localhost = Get(f, "a server bound to localhost");
  EXPECT_EQ(localhost.verdict, Verdict::kFail);
  EXPECT_TRUE(Has(localhost.cause, "Jupyter/tornado")) << localhost.cause;
}

TEST(Diagnosis, TheSeedsRtnetlinkIsANonVnetJail) {
  auto f = Diagnose(ParseProbeOutput(kSeedAsAdmin), SeedJail("admin"));
  const Finding& nl = Get(f, "netlink route dump");
  EXPECT_EQ(nl.verdict, Verdict::kWarn);
  EXPECT_TRUE(Has(nl.cause, "RTNETLINK answers: Operation not permitted")) << nl.cause;
  EXPECT_TRUE(Has(nl.fix, "--vnet")) << nl.fix;
  EXPECT_TRUE(Has(nl.cause, "no default route shows")) << "listing is filtered, not refused";
  JailNetwork vnet = SeedJail("admin");
  vnet.vnet = true;
  EXPECT_EQ(Get(Diagnose(ParseProbeOutput(kSeedAsAdmin), vnet), "netlink route dump").verdict,
            Verdict::kOk);
}

TEST(Diagnosis, LocalhostIsTheJailsAddressInASharedIpJail) {
  auto f = Diagnose(ParseProbeOutput(kSeedAsAdmin), SeedJail("admin"));
  const Finding& lo = Get(f, "a server bound to 127.0.0.1");
  EXPECT_EQ(lo.verdict, Verdict::kWarn);
  EXPECT_TRUE(Has(lo.cause, "rewritten to 10.0.0.9")) << lo.cause;
}

TEST(Diagnosis, GlibcLookupsNeedIgnoreIpRecverr) {
  auto f = Diagnose(ParseProbeOutput("PROBE resolv_conf - ok 0 192.168.0.1\n"
                                     "PROBE ip_recverr 192.168.0.1 fail 92 Protocol not available\n"
                                     "PROBE udp_dns 192.168.0.1 ok 0 60 bytes answered\n"
                                     "PROBE libc_lookup debian.org fail -3 Temporary failure\n"),
                    SeedJail(""));
  const Finding& r = Get(f, "IP_RECVERR");
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_TRUE(Has(r.fix, "sysctl compat.linux.ignore_ip_recverr=1")) << r.fix;
  EXPECT_TRUE(Has(r.cause, "its default, which this host has turned off")) << r.cause;
  EXPECT_TRUE(Has(Get(f, "name lookup").cause, "not with this name's address"));
}

TEST(Diagnosis, NoNetlinkOnFreeBSD13) {
  auto f =
      Diagnose(ParseProbeOutput("PROBE netlink_route - fail 97 Address family not supported\n"),
               SeedJail(""));
  const Finding& nl = Get(f, "netlink route dump");
  EXPECT_TRUE(Has(nl.cause, "FreeBSD 13")) << nl.cause;
  EXPECT_EQ(nl.fix.rfind("kldload netlink", 0), 0u) << nl.fix;
}

// 97 (EAFNOSUPPORT): no netlink at all; 93 (EPROTONOSUPPORT): a netlink
// without the protocol asked for. Only the first is fixed by a module.
TEST(Diagnosis, ANetlinkWithoutTheRouteProtocolIsNotAMissingModule) {
  auto f = Diagnose(ParseProbeOutput("PROBE netlink_route - fail 93 Protocol not supported\n"),
                    SeedJail(""));
  const Finding& nl = Get(f, "netlink route dump");
  EXPECT_EQ(nl.verdict, Verdict::kWarn);
  EXPECT_TRUE(Has(nl.cause, "lacks the route protocol")) << nl.cause;
  EXPECT_EQ(nl.fix, "");
}

TEST(Diagnosis, ATimeoutIsAFirewallNotARefusal) {
  auto f = Diagnose(ParseProbeOutput("PROBE udp_dns 9.9.9.9 fail 110 no answer in 3 s\n"
                                     "PROBE tcp_connect 9.9.9.9 fail 110 no answer in 3 s\n"),
                    SeedJail(""));
  const Finding& udp = Get(f, "UDP DNS to 9.9.9.9");
  EXPECT_TRUE(Has(udp.cause, "firewall")) << udp.cause;
  EXPECT_FALSE(Has(udp.cause, "TCP to the same resolver works"));
}

TEST(Diagnosis, OnLinuxLoopbackReachabilityFollowsTheNetwork) {
  JailNetwork linux_shared;
  linux_shared.jail = "web";
  linux_shared.freebsd = false;
  auto shared =
      Diagnose(ParseProbeOutput("PROBE bind 127.0.0.1 ok 0 bound 127.0.0.1\n"), linux_shared);
  EXPECT_TRUE(Has(Get(shared, "a server bound to 127.0.0.1").evidence, "and from the host"));
  linux_shared.vnet = true;
  auto own =
      Diagnose(ParseProbeOutput("PROBE bind 127.0.0.1 ok 0 bound 127.0.0.1\n"), linux_shared);
  EXPECT_TRUE(Has(Get(own, "a server bound to 127.0.0.1").evidence, "inside the jail only"));
  auto v6off =
      Diagnose(ParseProbeOutput("PROBE inet6_socket - fail 97 Address family not supported\n"),
               linux_shared);
  EXPECT_TRUE(Has(Get(v6off, "IPv6 sockets").cause, "IPv6 is off")) << "97 on Linux, not 93";
}

}  // namespace
}  // namespace ljail::diag
