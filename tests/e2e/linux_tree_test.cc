// Inside the Linux userland, for real (issue 6): bad input refused with
// nothing changed. The seed's admin user with sudo, its time zone and
// packages from the archive is tests/archive/linux_tree_archive_test.cc.
#include <gtest/gtest.h>

#include <filesystem>

#include "e2e/linux_host.h"

namespace ljail::testing {
namespace {

namespace fs = std::filesystem;

class LinuxTree : public LinuxHostTest {};

TEST_F(LinuxTree, BadInputIsRefusedWithNothingChanged) {
  ImportTemplate();
  GiveTheRootTheHostsFiles();
  for (const std::vector<std::string>& extra :
       std::vector<std::vector<std::string>>{{"--user", "root"},              // exists
                                             {"--user", "x:65534"},           // uid of nobody
                                             {"--user", "admin user"},        // a space
                                             {"--user", "Admin"},             // upper case
                                             {"--timezone", "Asia/Shangai"},  // unknown zone
                                             {"--timezone", "../../etc/passwd"},
                                             {"--dns", "static:1.2.3.4.5"},  // bad address
                                             {"--dns", "dhcp"},
                                             {"--locale", "en_US"},
                                             {"--packages", "curl,Bad_Name"},
                                             {"--sudo"}}) {
    std::vector<std::string> args = {"create", "bad", "--template", template_};
    args.insert(args.end(), extra.begin(), extra.end());
    RunResult r = Ljail(args);
    EXPECT_EQ(r.exit_code, 2) << extra[0] << " " << (extra.size() > 1 ? extra[1] : "") << ": "
                              << r.out << r.err;
    EXPECT_NE(r.err, "");
  }
  EXPECT_FALSE(fs::exists(Real("/var/lib/ljail/jails/containers/bad")));
  EXPECT_FALSE(fs::exists(Real("/etc/jail.conf.d/bad.conf")));

  // On an existing jail: refused, the tree unchanged, the jail stopped again.
  CreateJail("ok");
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"user", "add", "ok", "root"},
           {"user", "add", "ok", "bob", "--uid", "65534"},
           {"user", "add", "ok", "bob", "--groups", "nosuchgroup"},
           {"user", "add", "ok", "bob", "--shell", "/bin/nosuchshell"},
           {"user", "add", "ok", "bad name"},
           {"user", "del", "ok", "nosuchuser"},
           {"pkg", "ok", "install", "Bad_Name"},
           {"service", "ok", "enable", "../x"},
           {"service", "ok", "enable", "nosuchservice"},
           {"service", "ok", "disable", "nosuchservice"}}) {
    RunResult r = Ljail(args);
    EXPECT_EQ(r.exit_code, 2) << args[0] << " " << args[1] << " " << args.back() << ": " << r.out
                              << r.err;
  }
  EXPECT_EQ(KeeperPid("ok"), 0) << "started for the check, stopped again";
  ASSERT_EQ(Ljail({"start", "ok"}).exit_code, 0);
  EXPECT_EQ(Ljail({"exec", "ok", "--", "getent", "passwd", "bob"}).exit_code, 2);
}

}  // namespace
}  // namespace ljail::testing
