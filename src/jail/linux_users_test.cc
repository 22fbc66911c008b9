#include "jail/linux_users.h"

#include <gtest/gtest.h>

namespace ljail::jail {
namespace {

constexpr const char* kPasswd =
    "root:x:0:0:root:/root:/bin/bash\n"
    "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
    "admin:x:1000:1000:Admin,,,:/home/admin:/bin/bash\n"
    "broken line\n";
constexpr const char* kGroup =
    "root:x:0:\nsudo:x:27:admin\nadmin:x:1000:\nusers:x:100:admin,other\n";

TEST(LinuxUsers, ByNameWithGroups) {
  auto u = FindLinuxUser(kPasswd, kGroup, "admin");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->uid, 1000u);
  EXPECT_EQ(u->gid, 1000u);
  EXPECT_EQ(u->home, "/home/admin");
  EXPECT_EQ(u->shell, "/bin/bash");
  EXPECT_EQ(u->groups, (std::vector<gid_t>{1000, 27, 100}));
}

TEST(LinuxUsers, ByUidAndMissing) {
  EXPECT_EQ(FindLinuxUser(kPasswd, kGroup, "0")->name, "root");
  EXPECT_FALSE(FindLinuxUser(kPasswd, kGroup, "nobody"));
  EXPECT_FALSE(FindLinuxUser(kPasswd, kGroup, "4242"));
}

// A uid the kernel cannot hold is no user: 4294967296 would wrap to root.
TEST(LinuxUsers, AnIdBeyondUidTIsNoUser) {
  const std::string passwd =
      "evil:x:4294967296:4294967296::/root:/bin/sh\n"
      "none:x:4294967295:0::/:/bin/sh\n"
      "top:x:4294967294:0::/:/bin/sh\n";
  EXPECT_FALSE(FindLinuxUser(passwd, "", "evil"));
  EXPECT_FALSE(FindLinuxUser(passwd, "", "none"));
  EXPECT_FALSE(FindLinuxUser(passwd, "", "0"));
  ASSERT_TRUE(FindLinuxUser(passwd, "", "top"));
  EXPECT_EQ(FindLinuxUser(passwd, "", "top")->uid, 4294967294u);
}

TEST(LinuxUsers, LoginEnvironment) {
  auto u = FindLinuxUser(kPasswd, kGroup, "admin");
  std::vector<std::string> env = LoginEnvironment(*u, "xterm");
  EXPECT_EQ(env,
            (std::vector<std::string>{
                "HOME=/home/admin", "USER=admin", "LOGNAME=admin", "SHELL=/bin/bash",
                "PATH=/usr/local/bin:/usr/bin:/bin:/usr/games", "LANG=C.UTF-8", "TERM=xterm"}));
}

}  // namespace
}  // namespace ljail::jail
