// Inside the Linux userland, for real (issue 6): bad input refused with
// nothing changed. The seed's admin user with sudo, its time zone and
// packages from the archive is tests/archive/linux_tree_archive_test.cc.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "e2e/linux_host.h"

namespace ljail::testing {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

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

// `user add` over a /home shared from the host (issue 13): a uid of another
// host user is refused with nothing changed (that user's files there would
// be the new account's); --from-host gives the host's own; and doctor names
// a collision made by hand, with a fix that gives the account its host uid.
TEST_F(LinuxTree, AUserOnASharedHomeNeverTakesAnotherHostUsersUid) {
  ImportTemplate();
  GiveTheRootTheHostsFiles();
  {
    std::ofstream passwd(Real("/etc/passwd"), std::ios::trunc);
    passwd << "root:x:0:0::/root:/bin/sh\nbob:x:1000:1000::/home/bob:/bin/sh\n"
           << "carol:x:1500:1500::/home/carol:/bin/sh\n";
  }
  fs::create_directories(Real("/srv/home"));
  CreateJail("shared", {"--share", "/srv/home:/home"});
  RunResult taken = Ljail({"user", "add", "shared", "alice"});  // 1000 is the first free uid
  EXPECT_EQ(taken.exit_code, 2) << taken.out << taken.err;
  EXPECT_NE(taken.err.find("uid 1000 is bob's on the host"), std::string::npos) << taken.err;
  RunResult given = Ljail({"user", "add", "shared", "alice", "--uid", "1500"});
  EXPECT_EQ(given.exit_code, 2) << given.err;
  ASSERT_EQ(Ljail({"start", "shared"}).exit_code, 0);
  EXPECT_EQ(Ljail({"exec", "shared", "--", "id", "alice"}).exit_code, 1) << "nothing was added";

  RunResult carol = Ljail({"user", "add", "shared", "carol", "--from-host"});
  ASSERT_EQ(carol.exit_code, 0) << carol.out << carol.err;
  EXPECT_EQ(Exec("shared", {"id", "-u", "carol"}), "1500\n");
  EXPECT_EQ(Ljail({"user", "add", "shared", "dave", "--uid", "2000"}).exit_code, 0);

  // By hand (useradd in the jail), bob's uid for erin: doctor says so.
  ASSERT_EQ(Ljail({"exec", "shared", "--", "useradd", "-m", "-u", "1000", "erin"}).exit_code, 0);
  RunResult doctor = Ljail({"doctor", "shared"});
  EXPECT_NE(doctor.out.find("erin owns bob's files on the shared directory"), std::string::npos)
      << doctor.out;
  EXPECT_NE(doctor.out.find("ljail user del shared erin --keep-home && ljail user add shared "
                            "erin --uid 1001"),
            std::string::npos)
      << doctor.out;
  EXPECT_EQ(doctor.out.find("carol owns"), std::string::npos) << "carol's uid is her own";
}

// A `user add` stopped after useradd (killed, the machine went down) left
// an account without its home: the same command finishes it (issue 13); an
// account that is whole is still refused.
TEST_F(LinuxTree, TheSameUserAddFinishesAnAccountLeftWithoutItsHome) {
  ImportTemplate();
  CreateJail("acct");
  ASSERT_EQ(Ljail({"start", "acct"}).exit_code, 0);
  ASSERT_EQ(Ljail({"exec", "acct", "--", "useradd", "-M", "-s", "/bin/bash", "bob"}).exit_code, 0);
  RunResult finish = Ljail({"user", "add", "acct", "bob"});
  ASSERT_EQ(finish.exit_code, 0) << finish.out << finish.err;
  EXPECT_NE(finish.out.find("finishing its home"), std::string::npos) << finish.out;
  EXPECT_EQ(Exec("acct", {"stat", "-c", "%U", "/home/bob", "/home/bob/.bashrc"}), "bob\nbob\n");
  RunResult again = Ljail({"user", "add", "acct", "bob"});
  EXPECT_EQ(again.exit_code, 2) << again.out;
  EXPECT_NE(again.err.find("exists already"), std::string::npos) << again.err;
}

// --dry-run of user add, pkg and service enable (issue 14 §5): the tree's
// own commands, with the ids and the done-checks read from a stopped
// jail's tree at rest (its layer over the template, whiteouts included),
// and nothing started or changed.
TEST_F(LinuxTree, DryRunsPrintTheTreesCommandsReadFromAStoppedJail) {
  ImportTemplate();
  CreateJail("plan");
  ASSERT_EQ(Ljail({"start", "plan"}).exit_code, 0);
  ASSERT_EQ(Ljail({"exec", "plan", "--", "useradd", "-M", "-u", "1000", "carol"}).exit_code, 0);
  ASSERT_EQ(Ljail({"exec", "plan", "--", "rm", "/usr/bin/true"}).exit_code, 0);
  ASSERT_EQ(Ljail({"stop", "plan"}).exit_code, 0);
  std::string before = ReadFile(Real("/etc/jail.conf.d/plan.conf"));

  const std::string useradd =
      "in plan: useradd --uid 1001 --gid 1001 --shell /bin/bash --home-dir /home/dave "
      "--no-create-home dave\n";
  RunResult add = Ljail({"--dry-run", "user", "add", "plan", "dave", "--nopasswd"});
  ASSERT_EQ(add.exit_code, 0) << add.out << add.err;
  size_t at = 0;
  for (const char* line :
       {"# step: start plan for the change\n", "# step: account dave (uid 1001, gid 1001 dave)\n",
        "in plan: groupadd --gid 1001 dave\n", useradd.c_str(), "in plan: /bin/sh -c ",
        "# step: packages sudo\n",
        "in plan: DEBIAN_FRONTEND=noninteractive apt-get install -y sudo",
        "# step: /etc/sudoers.d/ljail-dave (checked by visudo -cf)\n",
        "dave ALL=(ALL:ALL) NOPASSWD: ALL\n", "# step: stop plan again (it was stopped)\n"}) {
    size_t found = add.out.find(line, at);
    EXPECT_NE(found, std::string::npos) << line << "\n" << add.out;
    if (found != std::string::npos) at = found;
  }
  RunResult carol = Ljail({"--dry-run", "user", "add", "plan", "carol"});
  EXPECT_EQ(carol.exit_code, 0) << carol.err;
  EXPECT_NE(carol.out.find("# done: account carol (uid 1000, made by an earlier run"),
            std::string::npos)
      << carol.out;
  // /usr/bin/true is gone from the jail's tree (a whiteout over the
  // template's): the resting tree says so.
  RunResult shell = Ljail({"--dry-run", "user", "add", "plan", "erin", "--shell", "/usr/bin/true"});
  EXPECT_EQ(shell.exit_code, 2) << shell.out;
  EXPECT_NE(shell.err.find("--shell /usr/bin/true: no such program"), std::string::npos)
      << shell.err;

  RunResult pkg = Ljail({"--dry-run", "pkg", "plan", "remove", "nosuchpackage"});
  EXPECT_EQ(pkg.exit_code, 0) << pkg.err;
  EXPECT_NE(pkg.out.find("# done: remove nosuchpackage (not installed)\n# nothing to do"),
            std::string::npos)
      << pkg.out;
  RunResult svc =
      Ljail({"--dry-run", "service", "plan", "enable", "tick", "--command", "sleep 1000"});
  ASSERT_EQ(svc.exit_code, 0) << svc.err;
  EXPECT_NE(svc.out.find("in plan: /bin/sh -c 'cat > \"$1\" && chmod 0755 \"$1\"' sh "
                         "/etc/init.d/tick <<'EOF'\n#!/bin/sh\n"),
            std::string::npos)
      << svc.out;
  EXPECT_NE(svc.out.find("cat > /etc/jail.conf.d/plan.conf <<'EOF'"), std::string::npos) << svc.out;

  EXPECT_EQ(KeeperPid("plan"), 0) << "a dry run starts nothing";
  EXPECT_EQ(ReadFile(Real("/etc/jail.conf.d/plan.conf")), before);
  EXPECT_EQ(HostMountsUnderRoot(), std::vector<std::string>{}) << "the resting tree is detached";
  ASSERT_EQ(Ljail({"start", "plan"}).exit_code, 0);
  EXPECT_EQ(Ljail({"exec", "plan", "--", "id", "dave"}).exit_code, 1);
}

}  // namespace
}  // namespace ljail::testing
