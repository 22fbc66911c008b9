// Networking and doctor on a Linux host, for real (issue 7): vnet jails on a
// bridge, the probe matrix inside Debian minbase trees (bookworm, trixie),
// refusing and silent resolvers diagnosed, and a localhost server reachable
// exactly as doctor says. Each test runs sealed (tests/support/sealed-net):
// a network namespace of its own, which stands for the host here, with a
// resolver the test runs on loopback (TestResolver); its interfaces,
// addresses and routes are compared before and after every test, and a
// packet sent beyond loopback fails the test.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "e2e/linux_host.h"
#include "host/process.h"
#include "support/not_run.h"
#include "support/test_resolver.h"

namespace ljail::testing {
namespace {

std::string HostNetwork() {
  std::string out;
  for (const std::vector<std::string>& argv : std::vector<std::vector<std::string>>{
           {"ip", "-br", "link"}, {"ip", "-br", "addr"}, {"ip", "route"}, {"ip", "-6", "route"}}) {
    out += host::RunCaptured(argv).out;
  }
  return out;
}

// A TCP connection from the test (the host) to ADDR:PORT; the first line read.
std::string ConnectAndRead(const std::string& address, int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, address.c_str(), &sa.sin_addr);
  std::string line;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0) {
    pollfd p{fd, POLLIN, 0};
    char buffer[256];
    ssize_t n = ::poll(&p, 1, 3000) > 0 ? ::read(fd, buffer, sizeof buffer) : -1;
    if (n > 0) line.assign(buffer, static_cast<size_t>(n));
  } else {
    line = std::string("connect: ") + std::strerror(errno);
  }
  ::close(fd);
  return line;
}

// A line server in the jail, left running in the background.
std::string ServeCommand(const std::string& address, int port, const std::string& greeting) {
  return "perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new(LocalAddr => \"" + address + ":" +
         std::to_string(port) +
         "\", Listen => 5, ReuseAddr => 1) or die; while ($c = $s->accept) { print $c \"" +
         greeting + "\\n\"; close $c }' >/dev/null 2>&1 &";
}

std::string ClientCommand(const std::string& address, int port) {
  return "perl -MIO::Socket::INET -e '$c = IO::Socket::INET->new(PeerAddr => \"" + address + ":" +
         std::to_string(port) + "\", Timeout => 3) or die \"connect: $!\\n\"; print scalar <$c>'";
}

class LinuxNetwork : public LinuxHostTest {
 protected:
  void SetUp() override {
    LinuxHostTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    if (host::RunCaptured({"ip", "-V"}).exit_code != 0) LJAIL_NOT_RUN("no ip(8) (iproute2)");
    // Sealed, every test has a network of its own, so network tests run in
    // parallel and each compares its whole network before and after.
    before_ = HostNetwork();
    GiveTheRootTheHostsFiles();
    resolver_ = std::make_unique<TestResolver>(kTestResolver);
  }
  void TearDown() override {
    LinuxHostTest::TearDown();
    resolver_.reset();
    if (!before_.empty()) {
      EXPECT_EQ(HostNetwork(), before_) << "the host's network changed";
    }
  }
  nlohmann::json Doctor(const std::string& name, const std::string& user, int expected_exit) {
    std::vector<std::string> args = {"doctor", name, "--json"};
    if (!user.empty()) args.insert(args.end(), {"--user", user});
    RunResult r = Ljail(args);
    EXPECT_EQ(r.exit_code, expected_exit) << r.out << r.err;
    return nlohmann::json::parse(r.out, nullptr, false);
  }
  static const nlohmann::json* Check(const nlohmann::json& doctor, const std::string& section,
                                     const std::string& check_start) {
    for (const auto& s : doctor["sections"]) {
      if (s["section"] != section) continue;
      for (const auto& c : s["checks"]) {
        if (c["check"].get<std::string>().rfind(check_start, 0) == 0) return &c;
      }
    }
    ADD_FAILURE() << "no check \"" << check_start << "\" in section " << section << ": "
                  << doctor.dump(1);
    return nullptr;
  }
  // A resolver that never answers, named in the jail's own resolv.conf
  // (created with --dns none) with glibc's shortest wait (one try of 1 s
  // instead of two of 5 s): the probes' own 3 s timeouts are what the test
  // is about, glibc's retries are not.
  void SilentResolverWithShortTimeouts(const std::string& jail, const std::string& resolver) {
    Exec(jail, {"sh", "-c",
                "printf 'nameserver " + resolver +
                    "\\noptions timeout:1 attempts:1\\n' > /etc/resolv.conf"});
  }
  std::string before_;
  std::unique_ptr<TestResolver> resolver_;  // kTestResolver, answering
};

// A resolver beyond the jail's bridge, as the host's own is beyond a vnet
// jail without NAT: a documentation address (RFC 5737) that the sealed
// namespace routes to its sink. The jail's packets stop at the test's
// namespace, which does not forward, so the sink's count stays 0.
constexpr const char* kResolverBeyondTheBridge = "198.51.100.53";

TEST_F(LinuxNetwork, TwoVnetJailsTalkOverTheBridgeAndSeeNothingElse) {
  ImportTemplate();
  CreateJail("va", {"--vnet", "--bridge", "ljtest0", "--ip4", "10.213.7.2/24", "--gateway",
                    "10.213.7.1", "--dns", "none"});
  CreateJail("vb", {"--vnet", "--bridge", "ljtest0", "--ip4", "10.213.7.3/24"});
  ASSERT_EQ(Ljail({"start", "va", "vb"}).exit_code, 0);
  SilentResolverWithShortTimeouts("va", kResolverBeyondTheBridge);
  EXPECT_TRUE(std::filesystem::exists("/sys/class/net/ljtest0/bridge"));
  EXPECT_EQ(Exec("va", {"ls", "/sys/class/net"}), "eth0\nlo\n") << "none of the host's interfaces";
  EXPECT_NE(Exec("va", {"cat", "/proc/net/route"}).find("eth0\t00000000\t0107D50A"),
            std::string::npos)
      << "default route via 10.213.7.1";

  // Jail to jail, host to jail, jail to host, all over ljtest0.
  Exec("va", {"sh", "-c", ServeCommand("10.213.7.2", 7001, "hello from va")});
  EXPECT_EQ(Exec("vb", {"sh", "-c", ClientCommand("10.213.7.2", 7001)}), "hello from va\n");
  EXPECT_EQ(ConnectAndRead("10.213.7.2", 7001), "hello from va\n");
  int server = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  ::inet_pton(AF_INET, "10.213.7.1", &sa.sin_addr);
  ASSERT_EQ(::bind(server, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
  ASSERT_EQ(::listen(server, 1), 0);
  socklen_t len = sizeof sa;
  ::getsockname(server, reinterpret_cast<sockaddr*>(&sa), &len);
  RunResult to_host =
      Ljail({"exec", "vb", "--", "perl", "-MIO::Socket::INET", "-e",
             "IO::Socket::INET->new(PeerAddr => '10.213.7.1:" + std::to_string(ntohs(sa.sin_port)) +
                 "', Timeout => 3) or die \"connect: $!\\n\"; print \"ok\\n\""});
  EXPECT_EQ(to_host.out, "ok\n") << to_host.err;
  ::close(server);

  // The probe matrix agrees: its own network, netlink works, loopback
  // private; and a resolver beyond the bridge is out of reach without NAT,
  // said so.
  nlohmann::json d = Doctor("va", "", 1);
  const nlohmann::json* udp = Check(d, "network of va as root", "UDP DNS to");
  ASSERT_NE(udp, nullptr);
  EXPECT_EQ((*udp)["verdict"], "fail");
  EXPECT_NE((*udp)["fix"].get<std::string>().find("masquerade"), std::string::npos) << *udp;
  const nlohmann::json* lo = Check(d, "network of va as root", "a server bound to 127.0.0.1");
  ASSERT_NE(lo, nullptr);
  EXPECT_NE((*lo)["evidence"].get<std::string>().find("inside the jail only"), std::string::npos);
  EXPECT_EQ((*Check(d, "network of va as root", "netlink route dump"))["verdict"], "ok");

  ASSERT_EQ(Ljail({"stop", "va"}).exit_code, 0);
  EXPECT_TRUE(std::filesystem::exists("/sys/class/net/ljtest0")) << "vb still uses it";
  ASSERT_EQ(Ljail({"stop", "vb"}).exit_code, 0);
  EXPECT_FALSE(std::filesystem::exists("/sys/class/net/ljtest0")) << "ljail's bridge goes last";
}

// destroy, like stop, takes away the bridge ljail made with its last jail,
// whether the jail was running or not.
TEST_F(LinuxNetwork, DestroyTakesTheBridgeAwayWithItsLastJail) {
  ImportTemplate();
  CreateJail("vd", {"--vnet", "--bridge", "ljtest2", "--ip4", "10.213.9.2/24"});
  ASSERT_EQ(Ljail({"start", "vd"}).exit_code, 0);
  ASSERT_TRUE(std::filesystem::exists("/sys/class/net/ljtest2"));
  // A running jail is destroyed only when asked with --force.
  RunResult refused = Ljail({"destroy", "vd"});
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_NE(refused.err.find("vd is running: stop it first"), std::string::npos) << refused.err;
  EXPECT_TRUE(std::filesystem::exists("/sys/class/net/ljtest2")) << "nothing changed";
  EXPECT_TRUE(std::filesystem::exists(Real("/etc/jail.conf.d/vd.conf")));
  EXPECT_EQ(Exec("vd", {"hostname"}), "vd\n") << "still running";
  RunResult r = Ljail({"destroy", "-f", "vd"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_FALSE(std::filesystem::exists("/sys/class/net/ljtest2")) << r.out;
}

TEST_F(LinuxNetwork, VnetRefusesWhatItCannotBuild) {
  ImportTemplate();
  for (const std::vector<std::string>& extra : std::vector<std::vector<std::string>>{
           {"--vnet", "--ip4", "10.213.7.2"},                              // no /LEN
           {"--vnet", "--ip4", "10.213.7.2/24", "--gateway", "10.9.9.1"},  // outside
           {"--vnet", "--ip4", "10.213.7.2/24", "--bridge", "a-name-much-too-long"},
           {"--vnet", "--ip4", "10.213.7.2/24", "--ip4", "10.213.7.3/24"},
           {"--bridge", "br0"},
           {"--vnet", "--gateway", "10.213.7.1"},
           // Without vnet a Linux-host jail shares the host's network; no FreeBSD side.
           {"--ip4", "10.0.0.9/24", "--interface", "wifibox0"},
           {"--ip4", "10.0.0.9/24"},
           {"--interface", "lo"},
           {"--ip6", "2001:db8::9"},
           {"--ip6", "disable"},
           {"--release", "14.3-RELEASE"}}) {
    std::vector<std::string> args = {"create", "bad", "--template", template_};
    args.insert(args.end(), extra.begin(), extra.end());
    RunResult r = Ljail(args);
    EXPECT_EQ(r.exit_code, 2) << extra.back() << ": " << r.err;
  }
  EXPECT_FALSE(std::filesystem::exists(Real("/etc/jail.conf.d/bad.conf")));
}

TEST_F(LinuxNetwork, ARefusedResolverIsDiagnosedAsUdpPortUnreachable) {
  ImportTemplate();
  // 127.0.0.153: a loopback address (all of 127/8 is) where nothing listens
  // (the test's own loopback: nothing else runs in its namespace).
  CreateJail("dns", {"--dns", "static:127.0.0.153"});
  ASSERT_EQ(Ljail({"start", "dns"}).exit_code, 0);
  nlohmann::json d = Doctor("dns", "nobody", 1);
  for (const std::string who : {"root", "nobody"}) {
    const nlohmann::json* udp =
        Check(d, "network of dns as " + who, "UDP DNS to 127.0.0.153 (as " + who + ")");
    ASSERT_NE(udp, nullptr);
    EXPECT_EQ((*udp)["verdict"], "fail");
    EXPECT_NE((*udp)["evidence"].get<std::string>().find("errno 111"), std::string::npos);
    EXPECT_NE((*udp)["cause"].get<std::string>().find("port unreachable"), std::string::npos);
    EXPECT_NE((*udp)["fix"].get<std::string>().find("ljail set dns dns=static:ADDR"),
              std::string::npos);
  }
  EXPECT_EQ((*Check(d, "network of dns as root", "name lookup"))["verdict"], "fail");
}

// The seed's "dig fails, nc to TCP 53 works": a resolver that refuses UDP
// and answers TCP; and one that drops everything. Doctor tells them apart.
TEST_F(LinuxNetwork, AResolverRefusingUdpAndASilentOneAreToldApart) {
  ImportTemplate();
  TestResolver tcp_only("127.0.0.54", "refuse", "answer");
  TestResolver silent("127.0.0.55", "silent", "silent");
  CreateJail("seed", {"--dns", "static:127.0.0.54"});
  CreateJail("drop", {"--dns", "none"});
  ASSERT_EQ(Ljail({"start", "seed", "drop"}).exit_code, 0);
  SilentResolverWithShortTimeouts("drop", "127.0.0.55");

  nlohmann::json seed = Doctor("seed", "", 1);
  const nlohmann::json* refused = Check(seed, "network of seed as root", "UDP DNS to 127.0.0.54");
  ASSERT_NE(refused, nullptr);
  EXPECT_EQ((*refused)["verdict"], "fail");
  EXPECT_NE((*refused)["cause"].get<std::string>().find("TCP to the same resolver works"),
            std::string::npos)
      << *refused;
  EXPECT_EQ((*Check(seed, "network of seed as root", "TCP DNS to 127.0.0.54"))["verdict"], "ok");

  // Silent: the UDP and TCP probes wait for their 3 s timeouts.
  nlohmann::json drop = Doctor("drop", "", 1);
  const nlohmann::json* dropped = Check(drop, "network of drop as root", "UDP DNS to 127.0.0.55");
  ASSERT_NE(dropped, nullptr);
  EXPECT_EQ((*dropped)["verdict"], "fail");
  EXPECT_NE((*dropped)["evidence"].get<std::string>().find("errno 110"), std::string::npos)
      << *dropped;
  EXPECT_NE((*dropped)["cause"].get<std::string>().find("no UDP answer"), std::string::npos);
  EXPECT_EQ((*Check(drop, "network of drop as root", "TCP DNS to 127.0.0.55"))["verdict"], "warn");
}

TEST_F(LinuxNetwork, ALocalhostServerIsReachableAsDoctorSays) {
  ImportTemplate();
  CreateJail("web");
  ASSERT_EQ(Ljail({"start", "web"}).exit_code, 0);
  nlohmann::json d = Doctor("web", "", 0);
  const nlohmann::json* lo = Check(d, "network of web as root", "a server bound to 127.0.0.1");
  ASSERT_NE(lo, nullptr);
  EXPECT_NE((*lo)["evidence"].get<std::string>().find("and from the host"), std::string::npos);
  Exec("web", {"sh", "-c", ServeCommand("127.0.0.1", 7002, "hello from web")}, "nobody");
  EXPECT_EQ(Exec("web", {"sh", "-c", ClientCommand("127.0.0.1", 7002)}), "hello from web\n");
  EXPECT_EQ(ConnectAndRead("127.0.0.1", 7002), "hello from web\n") << "shared: the host too";
}

// allow.raw_sockets as in a FreeBSD jail: without it not even root gets a
// raw socket; `ljail set` turns it on (restarting the jail).
TEST_F(LinuxNetwork, RawSocketsOnlyWithAllowRawSockets) {
  ImportTemplate();
  CreateJail("raw");
  ASSERT_EQ(Ljail({"start", "raw"}).exit_code, 0);
  const std::vector<std::string> raw_socket = {
      "perl", "-e", "socket(my $s, 2, 3, 1) or die \"$!\\n\"; print \"ok\\n\""};
  RunResult refused = Ljail({"exec", "raw", "--", raw_socket[0], raw_socket[1], raw_socket[2]});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("Operation not permitted"), std::string::npos) << refused.err;
  RunResult set = Ljail({"set", "raw", "allow.raw_sockets=true"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  EXPECT_NE(set.out.find("restarting it"), std::string::npos) << set.out;
  EXPECT_EQ(Exec("raw", raw_socket), "ok\n");
  // --user-ping (a setuid ping from the archive): tests/archive.
}

// The probe matrix in each Debian minbase tree the archive offers us, with
// the test's own resolver answering.
TEST_F(LinuxNetwork, TheProbeMatrixRunsInBookwormAndTrixie) {
  ImportTemplate();
  std::string trixie_template = ImportTemplate("trixie");
  ASSERT_FALSE(trixie_template.empty());
  CreateJail("b12", {"--raw-sockets"});
  ASSERT_EQ(Ljail({"create", "t13", "--template", trixie_template}).exit_code, 0);
  ASSERT_EQ(Ljail({"start", "b12", "t13"}).exit_code, 0);
  for (const std::string name : {"b12", "t13"}) {
    nlohmann::json d = Doctor(name, "nobody", 0);
    for (const std::string who : {"root", "nobody"}) {
      std::string section = "network of " + name + " as " + who;
      for (const char* check : {"UDP DNS to", "TCP DNS to", "name lookup of", "IPv6 sockets",
                                "netlink route dump", "a server bound to 127.0.0.1",
                                "a server bound to ::1", "a server bound to localhost"}) {
        const nlohmann::json* c = Check(d, section, check);
        if (c) {
          EXPECT_EQ((*c)["verdict"], "ok") << name << " " << who << ": " << c->dump();
        }
      }
      // Raw sockets for root only with allow.raw_sockets (b12), as on FreeBSD.
      const nlohmann::json* ping = Check(d, section, "ping (ICMP) as " + who);
      if (ping) {
        EXPECT_EQ((*ping)["verdict"], who == "root" && name == "b12" ? "ok" : "warn")
            << ping->dump();
      }
    }
  }
}

}  // namespace
}  // namespace ljail::testing
