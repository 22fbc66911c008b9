#include "jail/linux_account.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "core/error.h"
#include "host/process.h"
#include "support/not_run.h"
#include "support/temp_dir.h"

namespace ljail::jail {
namespace {

constexpr const char* kPasswd =
    "root:x:0:0:root:/root:/bin/bash\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
    "alice:x:1000:1000::/home/alice:/bin/bash\n";
constexpr const char* kGroup =
    "root:x:0:\nsudo:x:27:\nusers:x:100:\nalice:x:1000:\nstaff:x:1001:\nnogroup:x:65534:\n";

int UsageCode(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return static_cast<int>(e.code());
  }
  return 0;
}

TEST(LinuxAccount, NamesFollowDebiansRules) {
  ValidateUserName("admin");
  ValidateUserName("a-b_c9");
  for (const char* bad :
       {"", "Admin", "9lives", "a b", "a:b", "a.b", "-x", "abcdefghijabcdefghijabcdefghijabc"}) {
    EXPECT_EQ(UsageCode([&] { ValidateUserName(bad); }), 2) << bad;
  }
}

TEST(LinuxAccount, UserSpecOfCreate) {
  AccountRequest r = ParseUserSpec("admin:1000:1000");
  EXPECT_EQ(r.name, "admin");
  EXPECT_EQ(r.uid, 1000u);
  EXPECT_EQ(r.gid, 1000u);
  EXPECT_FALSE(ParseUserSpec("admin").uid.has_value());
  for (const char* bad : {"admin:x", "admin:1000:", "admin:-1", "a:1:2:3", "admin:4294967295"}) {
    EXPECT_EQ(UsageCode([&] { ParseUserSpec(bad); }), 2) << bad;
  }
}

TEST(LinuxAccount, FirstFreeIdsLikeAdduser) {
  AccountRequest r;
  r.name = "bob";
  AccountPlan p = PlanAccount(r, kPasswd, kGroup);
  EXPECT_EQ(p.uid, 1001u) << "1000 is alice's";
  EXPECT_EQ(p.gid, 1002u) << "gid 1001 is taken by staff, so not equal to the uid";
  EXPECT_TRUE(p.create_group);
  EXPECT_EQ(p.home, "/home/bob");
  auto commands = AccountCommands(p);
  ASSERT_EQ(commands.size(), 2u);
  EXPECT_EQ(commands[0], (std::vector<std::string>{"groupadd", "--gid", "1002", "bob"}));
  EXPECT_EQ(commands[1].back(), "bob");
}

TEST(LinuxAccount, AnExistingGroupBecomesThePrimaryGroup) {
  AccountRequest r;
  r.name = "bob";
  r.uid = 2000;
  r.gid = 100;
  r.groups = {"sudo", "staff"};
  AccountPlan p = PlanAccount(r, kPasswd, kGroup);
  EXPECT_FALSE(p.create_group);
  EXPECT_EQ(p.group_name, "users");
  auto commands = AccountCommands(p);
  ASSERT_EQ(commands.size(), 1u);
  EXPECT_EQ(host::ShellQuote(commands[0]),
            "useradd --uid 2000 --gid 100 --shell /bin/bash --home-dir /home/bob "
            "--no-create-home --groups sudo,staff bob");
}

TEST(LinuxAccount, ClashesAreRefusedBeforeAnythingChanges) {
  auto plan = [](const AccountRequest& r) { PlanAccount(r, kPasswd, kGroup); };
  AccountRequest exists;
  exists.name = "alice";
  EXPECT_EQ(UsageCode([&] { plan(exists); }), 2);
  AccountRequest uid_taken;
  uid_taken.name = "bob";
  uid_taken.uid = 65534;
  EXPECT_EQ(UsageCode([&] { plan(uid_taken); }), 2);
  AccountRequest root;
  root.name = "bob";
  root.uid = 0;
  EXPECT_EQ(UsageCode([&] { plan(root); }), 2);
  AccountRequest group_named_like_user;
  group_named_like_user.name = "staff";
  EXPECT_EQ(UsageCode([&] { plan(group_named_like_user); }), 2);
  AccountRequest unknown_group;
  unknown_group.name = "bob";
  unknown_group.groups = {"wheel"};
  EXPECT_EQ(UsageCode([&] { plan(unknown_group); }), 2);
  AccountRequest relative_shell;
  relative_shell.name = "bob";
  relative_shell.shell = "bash";
  EXPECT_EQ(UsageCode([&] { plan(relative_shell); }), 2);
}

TEST(LinuxAccount, FromHostCopiesTheHostsIds) {
  AccountRequest r;
  r.name = "carol";
  r.from_host = true;
  AccountPlan p = PlanAccount(r, kPasswd, kGroup, "carol:*:1234:1235:Carol:/home/carol:/bin/sh\n");
  EXPECT_EQ(p.uid, 1234u);
  EXPECT_EQ(p.gid, 1235u);
  r.name = "dave";
  EXPECT_EQ(UsageCode([&] { PlanAccount(r, kPasswd, kGroup, "carol:*:1234:1235::/:/bin/sh\n"); }),
            2)
      << "no such host user";
}

// Over a shared /home, a uid that is another host user's would hand that
// user's files to the new account (issue 13): refused, saying what to give.
TEST(LinuxAccount, ASharedHomeRefusesAnotherHostUsersUid) {
  const std::string host = "bob:*:1001:1001::/home/bob:/bin/sh\nadmin:*:1002:1002::/:/bin/sh\n";
  AccountRequest r;
  r.name = "admin";
  EXPECT_EQ(PlanAccount(r, kPasswd, kGroup, host).uid, 1001u) << "no share: the first free uid";
  r.home_from_host = true;
  try {
    PlanAccount(r, kPasswd, kGroup, host);
    ADD_FAILURE() << "bob's uid given to admin";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kUsage);
    EXPECT_NE(std::string(e.what()).find("uid 1001 is bob's on the host"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("admin:1002"), std::string::npos) << e.what();
  }
  r.uid = 1002;
  EXPECT_EQ(PlanAccount(r, kPasswd, kGroup, host).uid, 1002u) << "admin's own host uid";
}

TEST(LinuxAccount, SudoersFileNameSudoDoesNotSkip) {
  EXPECT_EQ(SudoersPath("admin"), "/etc/sudoers.d/ljail-admin");
  EXPECT_EQ(SudoersPath("a.b"), "/etc/sudoers.d/ljail-a_b") << "sudo ignores names with '.'";
  EXPECT_NE(SudoersContent("admin", false).find("\nadmin ALL=(ALL:ALL) ALL\n"), std::string::npos);
  EXPECT_NE(SudoersContent("admin", true).find("\nadmin ALL=(ALL:ALL) NOPASSWD: ALL\n"),
            std::string::npos);
}

// The home script, run for real with this machine's sh and coreutils (the
// tree's are the same programs) on a home below a scratch directory.
class HomeScriptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) LJAIL_NOT_RUN("giving files to another uid needs root");
    if (!std::filesystem::exists("/etc/skel/.bashrc")) LJAIL_NOT_RUN("no /etc/skel/.bashrc here");
    // Open to all as /home is: the skeleton is copied as the user.
    std::filesystem::permissions(
        dir_.path(), std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                         std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                         std::filesystem::perms::others_exec);
  }
  host::ProcessResult Run(const std::string& home) {
    return host::RunCaptured({"/bin/sh", "-c", HomeScript(), "sh", home, "4242", "4343"});
  }
  static uid_t Owner(const std::string& path) {
    struct stat st {};
    EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
    return st.st_uid;
  }
  testing::TempDir dir_;
};

TEST_F(HomeScriptTest, ARootOwnedHomeIsGivenToTheUserAndItsFilesKept) {
  std::string home = dir_.Path("home/admin");
  dir_.Write("home/admin/notes.txt", "mine\n");  // made by root, as in the seed
  ASSERT_EQ(Owner(home), 0u);
  host::ProcessResult r = Run(home);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Owner(home), 4242u);
  EXPECT_EQ(Owner(home + "/.bashrc"), 4242u);
  EXPECT_EQ(Owner(home + "/.profile"), 4242u);
  EXPECT_EQ(Owner(home + "/notes.txt"), 0u) << "not made by ljail: left as it is";
  EXPECT_EQ(dir_.Read("home/admin/notes.txt"), "mine\n");
  EXPECT_NE(r.out.find("kept as they are"), std::string::npos) << r.out;
  // A second run changes nothing and keeps an edited skeleton file.
  dir_.Write("home/admin/.bashrc", "# my own\n");
  ASSERT_EQ(Run(home).exit_code, 0);
  EXPECT_EQ(dir_.Read("home/admin/.bashrc"), "# my own\n");
}

TEST_F(HomeScriptTest, ANewHomeIsWhollyTheUsers) {
  std::string home = dir_.Path("home/new");
  host::ProcessResult r = Run(home);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const auto& e : std::filesystem::recursive_directory_iterator(home))
    EXPECT_EQ(Owner(e.path().string()), 4242u) << e.path();
  EXPECT_EQ(Owner(home), 4242u);
  EXPECT_EQ(std::filesystem::status(home).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_all);
}

TEST_F(HomeScriptTest, AnotherUsersHomeIsReportedNotTaken) {
  std::string home = dir_.Path("home/taken");
  std::filesystem::create_directories(home);
  ASSERT_EQ(::chown(home.c_str(), 777, 777), 0);
  host::ProcessResult r = Run(home);
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find("belongs to uid 777"), std::string::npos) << r.err;
  EXPECT_EQ(Owner(home), 777u);
  EXPECT_FALSE(std::filesystem::exists(home + "/.bashrc"));
}

TEST_F(HomeScriptTest, ALinkInPlaceOfTheHomeIsRefused) {
  std::string home = dir_.Path("home/link");
  std::filesystem::create_directories(dir_.Path("home"));
  std::filesystem::create_directory_symlink("/etc", home);
  host::ProcessResult r = Run(home);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(Owner("/etc"), 0u);
}

}  // namespace
}  // namespace ljail::jail
