// `ljail conf ...` through the real binary: exit codes, messages, JSON.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/run_ljail.h"
#include "support/temp_dir.h"

namespace ljail {
namespace {

using testing::RunLjail;
using testing::TempDir;

constexpr const char* kSeedConf = R"(exec.start = "/bin/sh /etc/rc";
exec.stop = "/bin/sh /etc/rc.shutdown";
exec.clean;
mount.devfs;
path = "/usr/local/jails/containers/${name}";
.include "/etc/jail.conf.d/*.conf";
)";

constexpr const char* kD2l = R"(d2l {
  devfs_ruleset=4;
  ip4.addr="10.0.0.9/24";
  $ljail_distro = debian;
  mount += "devfs     $path/compat/debian/dev     devfs     rw  0 0";
  mount += "/home     $path/compat/debian/home    nullfs    rw  0 0";
}
)";

TEST(ConfCli, CheckValidFiles) {
  TempDir dir;
  dir.Write("etc/jail.conf", kSeedConf);
  dir.Write("etc/jail.conf.d/d2l.conf", kD2l);
  testing::RunResult r = RunLjail({"--root", dir.path(), "conf", "check"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "/etc/jail.conf: ok, 1 jail: d2l\n");
  EXPECT_EQ(r.err, "");
}

// The seed's /etc/jail.conf includes /etc/jail.conf.d: fine for 14.0 and
// later, an error for a FreeBSD 13 jail(8).
TEST(ConfCli, CheckAsAnOlderReleaseReads) {
  TempDir dir;
  dir.Write("etc/jail.conf", kSeedConf);
  dir.Write("etc/jail.conf.d/d2l.conf", kD2l);
  testing::RunResult r14 = RunLjail({"--root", dir.path(), "conf", "check", "--release", "14.3"});
  EXPECT_EQ(r14.exit_code, 0) << r14.err;
  testing::RunResult r13 =
      RunLjail({"--root", dir.path(), "conf", "check", "--release", "13.5-RELEASE"});
  EXPECT_EQ(r13.exit_code, 1);
  EXPECT_NE(r13.err.find(".include: FreeBSD 13 has no .include"), std::string::npos) << r13.err;
  testing::RunResult bad = RunLjail({"--root", dir.path(), "conf", "check", "--release", "new"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("release \"new\": expected a FreeBSD release"), std::string::npos)
      << bad.err;
}

TEST(ConfCli, CheckReportsEveryProblemWithItsLine) {
  TempDir dir;
  std::string bad = dir.Write("bad.conf", "a {\n  x = ;\n}\nb {\n  persist = maybe;\n}\n");
  testing::RunResult r = RunLjail({"conf", "check", bad});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, bad + " line 2: ;: syntax error\n" + bad +
                       " line 5: b: persist: unknown boolean value \"maybe\"\n");
  EXPECT_EQ(r.out, bad + ": 2 errors\n");
}

TEST(ConfCli, CheckJson) {
  TempDir dir;
  std::string good = dir.Write("good.conf", "j { persist; }\n");
  std::string bad = dir.Write("bad.conf", "j { $path = x; }\n");
  testing::RunResult r = RunLjail({"conf", "check", "--json", good, bad});
  EXPECT_EQ(r.exit_code, 1);
  nlohmann::json report = nlohmann::json::parse(r.out);
  EXPECT_EQ(report["files"][0]["ok"], true);
  EXPECT_EQ(report["files"][0]["jails"], nlohmann::json::array({"j"}));
  EXPECT_EQ(report["files"][1]["ok"], false);
  EXPECT_EQ(report["files"][1]["messages"][0]["line"], 1);
  EXPECT_EQ(report["files"][1]["messages"][0]["message"],
            "variable \"$path\" cannot have the same name as a parameter.");
}

TEST(ConfCli, ShowJsonGivesJail8sAnswer) {
  TempDir dir;
  dir.Write("etc/jail.conf", kSeedConf);
  dir.Write("etc/jail.conf.d/d2l.conf", kD2l);
  testing::RunResult r = RunLjail({"--root", dir.path(), "conf", "show", "d2l", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json expected = nlohmann::json::parse(R"({
    "name": "d2l",
    "params": {
      "name": ["d2l"],
      "exec.start": ["/bin/sh /etc/rc"],
      "exec.stop": ["/bin/sh /etc/rc.shutdown"],
      "exec.clean": [],
      "mount.devfs": [],
      "path": ["/usr/local/jails/containers/d2l"],
      "devfs_ruleset": ["4"],
      "ip4.addr": ["10.0.0.9/24"],
      "mount": ["devfs     /usr/local/jails/containers/d2l/compat/debian/dev     devfs     rw  0 0",
                "/home     /usr/local/jails/containers/d2l/compat/debian/home    nullfs    rw  0 0"]
    },
    "variables": {"ljail_distro": ["debian"]}
  })");
  EXPECT_EQ(nlohmann::json::parse(r.out), expected);
  // jail(8)'s parameter order is kept, not sorted.
  EXPECT_LT(r.out.find("\"exec.start\""), r.out.find("\"devfs_ruleset\""));
}

TEST(ConfCli, ShowTextIsValidJailConf) {
  TempDir dir;
  std::string conf =
      dir.Write("j.conf", "path = \"/j/$name\";\nj { $v = \"a$b\"; $b = \"\\\\$\"; }\n");
  testing::RunResult r = RunLjail({"conf", "show", "-f", conf, "j"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string shown = dir.Write("shown.conf", r.out);
  testing::RunResult again = RunLjail({"conf", "show", "-f", shown, "j", "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err << r.out;
  nlohmann::json j = nlohmann::json::parse(again.out);
  EXPECT_EQ(j["params"]["path"][0], "/j/j");
  EXPECT_EQ(j["variables"]["v"][0], "a\\$") << "values are written so they read back literally";
}

TEST(ConfCli, ShowUnknownJail) {
  TempDir dir;
  std::string conf = dir.Write("j.conf", "j { persist; }\n");
  testing::RunResult r = RunLjail({"conf", "show", "-f", conf, "nope"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "ljail: " + conf + ": no jail \"nope\" in this file or its includes\n");
}

TEST(ConfCli, ShowAJailThatJail8WouldRefuse) {
  TempDir dir;
  std::string conf = dir.Write("j.conf", "j { path = $nowhere; }\nk { persist; }\n");
  testing::RunResult r = RunLjail({"conf", "show", "-f", conf, "j"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, conf + " line 1: j: path: variable \"nowhere\" not found\n");
  EXPECT_EQ(RunLjail({"conf", "show", "-f", conf, "k"}).exit_code, 0) << "k is fine";
}

// With no file named: the host's jail files as rc.d/jail reads them. On a
// Linux host, where there is no /etc/jail.conf, those are ljail's own.
TEST(ConfCli, TheHostsJailFilesByDefault) {
  TempDir dir;
  dir.Write("etc/jail.conf.d/web.conf", "web { path = /j/web; persist; }\n");
  dir.Write("etc/jail.conf.d/db.conf", "db { path = /j/db; persist; }\n");
  testing::RunResult check = RunLjail({"--root", dir.path(), "conf", "check"});
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_EQ(
      check.out,
      "/etc/jail.conf.d/db.conf: ok, 1 jail: db\n/etc/jail.conf.d/web.conf: ok, 1 jail: web\n");
  testing::RunResult show = RunLjail({"--root", dir.path(), "conf", "show", "web", "--json"});
  EXPECT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(nlohmann::json::parse(show.out)["params"]["path"][0], "/j/web");

  // /etc/jail.conf with an include: the files it includes are checked with
  // it, the others on their own.
  dir.Write("etc/jail.conf", ".include \"/etc/jail.conf.d/web.conf\";\nplain { persist; }\n");
  check = RunLjail({"--root", dir.path(), "conf", "check"});
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_EQ(check.out,
            "/etc/jail.conf: ok, 2 jails: web, plain\n/etc/jail.conf.d/db.conf: ok, 1 jail: db\n");
  EXPECT_EQ(RunLjail({"--root", dir.path(), "conf", "show", "db"}).exit_code, 0);
  testing::RunResult none = RunLjail({"--root", dir.path(), "conf", "show", "nope"});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_EQ(none.err,
            "ljail: no jail \"nope\" in /etc/jail.conf (with its includes) or "
            "/etc/jail.conf.d/*.conf\n");
}

TEST(ConfCli, MissingDefaultFile) {
  TempDir dir;
  testing::RunResult r = RunLjail({"--root", dir.path(), "conf", "show", "x"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "/etc/jail.conf: No such file or directory\n");
}

TEST(ConfCli, UnknownCommandSuggestsTheClosestOne) {
  testing::RunResult r = RunLjail({"cnof", "check"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "ljail: unknown command 'cnof'; did you mean 'conf'? (see ljail --help)\n");
}

TEST(ConfCli, BadUsageExitsWith2) {
  EXPECT_EQ(RunLjail({"conf", "show"}).exit_code, 2);
  EXPECT_EQ(RunLjail({"conf", "show", "--bogus", "x"}).exit_code, 2);
  EXPECT_EQ(RunLjail({}).exit_code, 2);
}

TEST(ConfCli, HelpAndVersion) {
  testing::RunResult help = RunLjail({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("conf"), std::string::npos);
  EXPECT_EQ(RunLjail({"--version"}).exit_code, 0);
  // `ljail help` is --help, for the whole tool or for one verb (issue 16).
  EXPECT_EQ(RunLjail({"help"}).out, help.out);
  testing::RunResult create = RunLjail({"help", "create"});
  EXPECT_EQ(create.exit_code, 0);
  EXPECT_EQ(create.out, RunLjail({"create", "--help"}).out);
  EXPECT_NE(create.out.find("--template"), std::string::npos) << create.out;
  testing::RunResult add = RunLjail({"help", "user", "add"});
  EXPECT_EQ(add.exit_code, 0);
  EXPECT_NE(add.out.find("--from-host"), std::string::npos) << add.out;
  // A bare ljail names the verbs, as a usage error.
  testing::RunResult bare = RunLjail({});
  EXPECT_EQ(bare.exit_code, 2);
  EXPECT_NE(bare.err.find("create"), std::string::npos) << bare.err;
  EXPECT_NE(bare.err.find("doctor"), std::string::npos) << bare.err;
}

}  // namespace
}  // namespace ljail
