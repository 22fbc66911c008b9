// Inside the Linux userland, for real (issue 6), with apt reaching the
// Debian archive (so not sealed: tests/archive): the seed's admin user with
// sudo and its time zone in one create, over a shared /home that already
// holds a root-owned /home/admin; packages through apt from the archive;
// resolv.conf and hosts; a declared service started with the jail and
// stopped before it stops.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "e2e/linux_host.h"
#include "support/not_run.h"

namespace ljail::testing {
namespace {

namespace fs = std::filesystem;

class LinuxTreeFromArchive : public LinuxHostTest {
 protected:
  static struct stat Stat(const std::string& path) {
    struct stat st {};
    EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
    return st;
  }
};

TEST_F(LinuxTreeFromArchive, TheSeedsAdminWithSudoAndTimezoneOverASharedHome) {
  ImportTemplate();
  GiveTheRootTheHostsFiles();
  GiveTheRootTheHostsResolver();  // apt inside reaches the archive
  if (!fs::exists(Real("/usr/share/zoneinfo/Asia/Shanghai")))
    LJAIL_NOT_RUN("this machine has no tzdata (/usr/share/zoneinfo/Asia/Shanghai)");
  // The seed's situation: a host /home shared into the jail, where root
  // made /home/admin before the user existed.
  fs::create_directories(Real("/srv/home/admin"));
  ASSERT_EQ(::chown(Real("/srv/home/admin").c_str(), 0, 0), 0);

  RunResult create = Ljail({"create", "seed", "--template", template_, "--user", "admin:1000",
                            "--sudo", "--timezone", "Asia/Shanghai", "--share", "/srv/home:/home"});
  ASSERT_EQ(create.exit_code, 0) << create.out << create.err;
  EXPECT_NE(create.out.find("/etc/sudoers.d/ljail-admin (checked by visudo -cf)"),
            std::string::npos)
      << create.out;
  EXPECT_NE(create.out.find("seed stopped"), std::string::npos) << "create leaves it stopped";

  // Every path of the home is admin's, seen from the host.
  std::vector<std::string> paths = {Real("/srv/home/admin")};
  for (const auto& e : fs::recursive_directory_iterator(Real("/srv/home/admin")))
    paths.push_back(e.path().string());
  EXPECT_GE(paths.size(), 4u) << "the skeleton files";
  for (const std::string& p : paths) {
    struct stat st = Stat(p);
    EXPECT_EQ(st.st_uid, 1000u) << p;
    EXPECT_EQ(st.st_gid, 1000u) << p;
  }

  ASSERT_EQ(Ljail({"start", "seed"}).exit_code, 0);
  EXPECT_EQ(Exec("seed", {"getent", "passwd", "admin"}),
            "admin:x:1000:1000::/home/admin:/bin/bash\n");
  EXPECT_EQ(Exec("seed", {"id", "-un"}, "admin"), "admin\n");
  EXPECT_EQ(Exec("seed", {"date", "+%Z"}, "admin"), "CST\n");
  EXPECT_EQ(Exec("seed", {"readlink", "/etc/localtime"}), "/usr/share/zoneinfo/Asia/Shanghai\n");
  EXPECT_EQ(Exec("seed", {"cat", "/etc/timezone"}), "Asia/Shanghai\n");
  EXPECT_NE(Exec("seed", {"sh", "-c", "getent hosts $(hostname)"}).find(" seed\n"),
            std::string::npos);
  // sudo: granted, but with a password (none set), so -n fails...
  RunResult sudo = Ljail({"exec", "seed", "-u", "admin", "--", "sudo", "-n", "true"});
  EXPECT_EQ(sudo.exit_code, 1);
  EXPECT_NE(sudo.err.find("a password is required"), std::string::npos) << sudo.err;
  EXPECT_EQ(Exec("seed", {"stat", "-c", "%a %U", "/etc/sudoers.d/ljail-admin"}), "440 root\n");
  // ...and with --nopasswd it works, for that user only.
  RunResult ops = Ljail({"user", "add", "seed", "ops", "--nopasswd"});
  ASSERT_EQ(ops.exit_code, 0) << ops.out << ops.err;
  EXPECT_EQ(Ljail({"exec", "seed", "-u", "ops", "--", "sudo", "-n", "true"}).exit_code, 0);
  EXPECT_EQ(Ljail({"exec", "seed", "-u", "nobody", "--", "sudo", "-n", "true"}).exit_code, 1);

  // resolv.conf: a regular file with the host's resolvers, refreshed at start.
  EXPECT_EQ(Exec("seed", {"stat", "-c", "%F", "/etc/resolv.conf"}), "regular file\n");
  std::ofstream(Real("/etc/resolv.conf"), std::ios::app) << "# changed on the host\n";
  ASSERT_EQ(Ljail({"restart", "seed"}).exit_code, 0);
  EXPECT_NE(Exec("seed", {"cat", "/etc/resolv.conf"}).find("# changed on the host"),
            std::string::npos);

  // Packages from the archive, through apt inside.
  RunResult curl = Ljail({"pkg", "seed", "install", "curl"});
  ASSERT_EQ(curl.exit_code, 0) << curl.out << curl.err;
  EXPECT_EQ(Exec("seed", {"sh", "-c", "command -v curl"}, "admin"), "/usr/bin/curl\n");
  EXPECT_FALSE(fs::exists(Real("/var/lib/ljail/jails/containers/seed/upper/usr/sbin/policy-rc.d")))
      << "ljail's policy-rc.d is gone after the install";

  // A declared service: started with the jail, stopped (by its own script)
  // before the jail stops.
  const std::string ticker =
      "sh -c 'trap \"echo stopped >> /home/admin/ticker.log; exit 0\" TERM; "
      "echo started >> /home/admin/ticker.log; while :; do sleep 1; done'";
  RunResult enable =
      Ljail({"service", "seed", "enable", "ticker", "--user", "admin", "--command", ticker});
  ASSERT_EQ(enable.exit_code, 0) << enable.out << enable.err;
  EXPECT_NE(Ljail({"service", "seed", "list", "--json"}).out.find("\"running\""),
            std::string::npos);
  RunResult stop = Ljail({"stop", "seed"});
  EXPECT_NE(stop.out.find("seed: service ticker stopped\nseed stopped\n"), std::string::npos)
      << stop.out;
  std::ifstream log(Real("/srv/home/admin/ticker.log"));
  std::string logged((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_EQ(logged, "started\nstopped\n");
  EXPECT_NE(Ljail({"service", "seed", "list"}).out.find("ticker                   stopped"),
            std::string::npos);
  ASSERT_EQ(Ljail({"start", "seed"}).exit_code, 0);
  EXPECT_NE(Ljail({"service", "seed", "list"}).out.find("ticker                   running"),
            std::string::npos)
      << "declared: started with the jail";
  ASSERT_EQ(Ljail({"service", "seed", "disable", "ticker"}).exit_code, 0);
  EXPECT_NE(Ljail({"service", "seed", "list"}).out.find("no services enabled"), std::string::npos);

  // Removing a user never deletes a home on the shared host directory.
  RunResult del = Ljail({"user", "del", "seed", "admin"});
  ASSERT_EQ(del.exit_code, 0) << del.err;
  EXPECT_TRUE(fs::exists(Real("/srv/home/admin/.bashrc")));
  EXPECT_EQ(Ljail({"exec", "seed", "--", "getent", "passwd", "admin"}).exit_code, 2);
}

}  // namespace
}  // namespace ljail::testing
