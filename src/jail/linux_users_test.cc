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
