// --user-ping on a Linux host, for real (issue 7): create installs
// iputils-ping from the archive (so not sealed: tests/archive) and makes it
// setuid, so that a user who is not root can ping, as `sudo ping` could in
// the seed. It pings the jail's own loopback only.
#include <gtest/gtest.h>

#include "e2e/linux_host.h"

namespace ljail::testing {
namespace {

class LinuxNetworkFromArchive : public LinuxHostTest {};

TEST_F(LinuxNetworkFromArchive, UserPingGivesUsersASetuidPing) {
  ImportTemplate();
  GiveTheRootTheHostsFiles();
  GiveTheRootTheHostsResolver();  // apt inside reaches the archive
  RunResult ping = Ljail({"create", "pinger", "--template", template_, "--user-ping"});
  ASSERT_EQ(ping.exit_code, 0) << ping.out << ping.err;
  ASSERT_EQ(Ljail({"start", "pinger"}).exit_code, 0);
  RunResult as_user =
      Ljail({"exec", "pinger", "-u", "nobody", "--", "ping", "-c", "1", "-W", "2", "127.0.0.1"});
  EXPECT_EQ(as_user.exit_code, 0) << as_user.out << as_user.err;
}

}  // namespace
}  // namespace ljail::testing
