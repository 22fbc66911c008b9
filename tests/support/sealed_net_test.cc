// The network rule's enforcement (tests/support/sealed-net) can fail: a
// packet for an address beyond loopback is counted on the sink and fails
// the run, loopback still works, and the command's own status comes
// through. The inner runs make a seal of their own (LJAIL_SEALED_NET
// cleared), nested in this test's, so their packets stop at their sink.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "support/not_run.h"
#include "support/run_ljail.h"

namespace ljail::testing {
namespace {

RunResult Sealed(const std::string& script) {
  const std::string sealed_net = std::string(LJAIL_SOURCE_DIR) + "/tests/support/sealed-net";
  return RunProgram("/usr/bin/env", {"-u", "LJAIL_SEALED_NET", sealed_net, "sh", "-c", script});
}

// tx packets of sink0 in this process's network namespace.
long SinkPacketsHere() {
  std::ifstream dev("/proc/net/dev");
  std::string line;
  while (std::getline(dev, line)) {
    size_t colon = line.find(':');
    if (colon == std::string::npos || line.substr(0, colon).find("sink0") == std::string::npos)
      continue;
    std::istringstream fields(line.substr(colon + 1));
    long value = 0;
    for (int i = 0; i < 10 && fields >> value; ++i) {
    }
    return value;
  }
  return -1;
}

class SealedNet : public ::testing::Test {
 protected:
  void SetUp() override {
    RunResult probe = Sealed("true");
    if (probe.exit_code != 0)
      LJAIL_NOT_RUN("sealed-net cannot make namespaces here: " << probe.err);
  }
};

TEST_F(SealedNet, APacketBeyondLoopbackIsCountedAndFailsTheRun) {
  // UDP to a documentation address (RFC 5737): routed to the inner sink.
  RunResult r = Sealed(
      "perl -MSocket -e 'socket(my $s, AF_INET, SOCK_DGRAM, 0) or die; "
      "send($s, \"x\", 0, pack_sockaddr_in(53, inet_aton(\"198.51.100.1\"))) or die \"$!\"'");
  EXPECT_EQ(r.exit_code, 97) << r.err;
  EXPECT_NE(r.err.find("sealed-net: 1 packet(s) sent beyond loopback"), std::string::npos) << r.err;
  RunResult v6 = Sealed(
      "perl -MSocket=:all -e 'socket(my $s, AF_INET6, SOCK_DGRAM, 0) or die; "
      "send($s, \"x\", 0, pack_sockaddr_in6(53, inet_pton(AF_INET6, \"2001:db8::1\"))) or die'");
  EXPECT_EQ(v6.exit_code, 97) << v6.err;
  if (::getenv("LJAIL_SEALED_NET")) {
    EXPECT_EQ(SinkPacketsHere(), 0) << "the inner seals' packets stayed in them";
  }
}

TEST_F(SealedNet, LoopbackWorksAndTheStatusComesThrough) {
  RunResult r = Sealed(
      "perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new(LocalAddr => \"127.0.0.9:0\", "
      "Listen => 1) or die; $c = IO::Socket::INET->new(PeerAddr => \"127.0.0.9:\" . "
      "$s->sockport) or die; print \"loopback\\n\"'; ls /sys/class/net; exit 3");
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_EQ(r.out, "loopback\nlo\nsink0\nsink1\n") << "only the seal's interfaces";
}

}  // namespace
}  // namespace ljail::testing
