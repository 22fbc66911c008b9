// Linux jails on the simulated FreeBSD host (issue 4): create from a real
// Debian tree, start through rc.d/jail, enter as a Linux user, list, destroy.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "support/debian_tree.h"
#include "support/freebsd_fixture.h"
#include "support/golden.h"
#include "support/not_run.h"
#include "support/sim_host.h"
#include "support/test_resolver.h"

namespace ljail {
namespace {

using testing::RunResult;
using testing::SimHost;

// A prepared host: host init, a 14.3-RELEASE mirror, the Debian keyring
// (SimHost's), and a cached Debian tree for debootstrap.
class FreeBSDJail : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    std::optional<std::string> cache = testing::DebianCacheDir(&why);
    if (!cache) LJAIL_NOT_RUN("no Debian tree for the tests: " << why);
    ::setenv("LJAIL_SIM_DEBOOTSTRAP_CACHE", cache->c_str(), 1);
    ASSERT_EQ(h.Ljail({"host", "init"}).exit_code, 0);
    testing::UseLocalMirror(h);
    testing::PublishRelease(h, "14.3-RELEASE");
    std::filesystem::create_directories(h.Real("/home/admin"));
    h.Write("/home/admin/canary", "the host's file");
    // The seed's laptop has wifibox's bridge, where its jail's address goes.
    ASSERT_EQ(h.Run({"ifconfig", "bridge", "create", "name", "wifibox0", "up"}).exit_code, 0);
  }

  RunResult CreateD2l() {
    return h.Ljail({"create", "d2l", "--distro", "debian", "--suite", "bookworm", "--ip4",
                    "10.0.0.9/24", "--interface", "wifibox0", "--share", "/home"});
  }

  SimHost h;
};

constexpr const char* kTree = "/usr/local/jails/containers/d2l/compat/debian";

TEST_F(FreeBSDJail, SeedD2lEndToEnd) {
  RunResult created = CreateD2l();
  ASSERT_EQ(created.exit_code, 0) << created.err << created.out;
  EXPECT_TRUE(std::filesystem::exists(h.Real(std::string(kTree) + "/etc/debian_version")));
  EXPECT_EQ(h.Read(std::string(kTree) + "/etc/hostname"), "d2l\n");
  EXPECT_EQ(
      h.Run({"zfs", "get", "-H", "-o", "value", "origin", "zroot/jails/containers/d2l/linux"}).out,
      "zroot/jails/templates/debian-bookworm-amd64-minbase@base\n");

  RunResult started = h.Ljail({"start", "d2l"});
  ASSERT_EQ(started.exit_code, 0) << started.err << started.out;
  EXPECT_EQ(h.Run({"jls", "-j", "d2l", "name"}).out, "d2l\n");
  // The simulator's own parser read the generated file and did its mounts.
  std::string mounts = h.Run({"mount", "-p"}).out;
  EXPECT_NE(
      mounts.find("devfs\t/usr/local/jails/containers/d2l/compat/debian/dev\tdevfs\trw,ruleset=51"),
      std::string::npos)
      << mounts;
  EXPECT_NE(mounts.find("/home\t/usr/local/jails/containers/d2l/compat/debian/home\tnullfs"),
            std::string::npos);

  // The seed's step 9, with the tree's own useradd through jexec + chroot.
  RunResult add = h.Ljail({"user", "add", "d2l", "admin", "--uid", "1000"});
  ASSERT_EQ(add.exit_code, 0) << add.err << add.out;
  RunResult id = h.Ljail({"exec", "d2l", "-u", "admin", "--", "id"});
  EXPECT_EQ(id.exit_code, 0) << id.err;
  EXPECT_EQ(id.out, "uid=1000(admin) gid=1000(admin) groups=1000(admin)\n");
  RunResult root = h.Ljail({"exec", "d2l", "--", "sh", "-c", "echo $HOME $USER; exit 7"});
  EXPECT_EQ(root.exit_code, 7) << "the command's exit status comes back";
  EXPECT_EQ(root.out, "/root root\n");
  RunResult args = h.Ljail({"exec", "d2l", "--", "printf", "[%s]", "a b", "$HOME", "'q'"});
  EXPECT_EQ(args.out, "[a b][$HOME]['q']") << "argv passed through untouched";
  RunResult os = h.Ljail({"exec", "d2l", "-u", "admin", "--", "cat", "/etc/os-release"});
  EXPECT_NE(os.out.find("VERSION_CODENAME=bookworm"), std::string::npos);

  RunResult stopped = h.Ljail({"stop", "d2l"});
  EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  EXPECT_EQ(h.Run({"jls", "-j", "d2l"}).exit_code, 1);
}

// Issue 6 on FreeBSD: the setup runs the tree's programs through jexec +
// chroot (the simulator really chroots into the Debian tree), with the jail
// started for it and stopped again.
constexpr const char* kUseraddLine =
    "        useradd --uid 1000 --gid 1000 --shell /bin/bash --home-dir /home/admin "
    "--no-create-home admin\n";

TEST_F(FreeBSDJail, CreateSetsTheTreeUpThroughJexecAndChroot) {
  RunResult r = h.Ljail({"create", "d2l", "--suite", "bookworm", "--user", "admin:1000",
                         "--timezone", "Europe/Berlin", "--dns", "static:9.9.9.9"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  for (const char* expected :
       {"do    start d2l to set its tree up\n", "Starting jails: d2l.\n",
        "        groupadd --gid 1000 admin\n", kUseraddLine,
        "        created /home/admin/.bashrc\n", "do    stop d2l (create leaves a jail stopped)\n",
        "Stopping jails: d2l.\n"}) {
    EXPECT_NE(r.out.find(expected), std::string::npos) << expected << "\n" << r.out;
  }
  EXPECT_EQ(h.Run({"jls", "-j", "d2l"}).exit_code, 1) << "stopped again";
  std::string tree = kTree;
  EXPECT_NE(h.Read(tree + "/etc/passwd").find("\nadmin:x:1000:1000::/home/admin:/bin/bash\n"),
            std::string::npos);
  for (const char* p : {"/home/admin", "/home/admin/.bashrc", "/home/admin/.profile"}) {
    EXPECT_EQ(
        std::filesystem::status(h.Real(tree + p)).type() != std::filesystem::file_type::not_found,
        true)
        << p;
    struct stat st {};
    ASSERT_EQ(::lstat(h.Real(tree + p).c_str(), &st), 0) << p;
    EXPECT_EQ(st.st_uid, 1000u) << p;
  }
  // The zone: a link into the tree's zoneinfo, the file from the host's
  // /usr/share/zoneinfo (minbase has no tzdata).
  EXPECT_EQ(std::filesystem::read_symlink(h.Real(tree + "/etc/localtime")),
            "/usr/share/zoneinfo/Europe/Berlin");
  EXPECT_EQ(h.Read(tree + "/usr/share/zoneinfo/Europe/Berlin"),
            h.Read("/usr/share/zoneinfo/Europe/Berlin"));
  EXPECT_EQ(h.Read(tree + "/etc/timezone"), "Europe/Berlin\n");
  EXPECT_EQ(h.Read(tree + "/etc/resolv.conf"),
            "# Written by ljail (--dns static:9.9.9.9).\nnameserver 9.9.9.9\n");
  std::string conf = h.Read("/etc/jail.conf.d/d2l.conf");
  EXPECT_NE(conf.find("\t$ljail_dns = \"static:9.9.9.9\";\n"), std::string::npos) << conf;
  EXPECT_EQ(conf.find("exec.created"), std::string::npos) << "static: nothing to refresh";
  // The host's zone is the default: FreeBSD's tzsetup name in /var/db/zoneinfo.
  RunResult plan = h.Ljail({"--dry-run", "create", "lab", "--suite", "bookworm"});
  EXPECT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_EQ(plan.out.find("start lab to set its tree up"), std::string::npos)
      << "nothing needs the tree's programs: no start";
}

// --dry-run of the tree verbs on a stopped jail (issue 14 §5): the plan
// read from the tree's directory, each step with the commands it runs
// through jexec + chroot, and nothing started or written.
TEST_F(FreeBSDJail, TreeVerbsDryRunPrintTheirCommands) {
  ASSERT_EQ(h.Ljail({"create", "d2l", "--suite", "bookworm"}).exit_code, 0);
  std::string tree = kTree;
  std::string passwd = h.Read(tree + "/etc/passwd"), conf = h.Read("/etc/jail.conf.d/d2l.conf");
  RunResult add = h.Ljail({"--dry-run", "user", "add", "d2l", "admin", "--uid", "1000"});
  ASSERT_EQ(add.exit_code, 0) << add.err;
  EXPECT_NE(add.out.find("# step: start d2l for the change\n: ljail: start d2l\n# step: account "
                         "admin (uid 1000, gid "
                         "1000 admin)\nin d2l: groupadd --gid 1000 admin\nin d2l: useradd "
                         "--uid 1000"),
            std::string::npos)
      << add.out;
  EXPECT_NE(add.out.find("# step: stop d2l again (it was stopped)\n"), std::string::npos);

  // What dpkg has is done; what it lacks is installed with the tree's apt.
  h.Write(tree + "/var/lib/dpkg/status", "Package: curl\nStatus: install ok installed\n\n");
  RunResult curl = h.Ljail({"--dry-run", "pkg", "d2l", "install", "curl"});
  EXPECT_EQ(curl.out,
            "# pkg install curl in d2l (dry run: nothing is changed)\n"
            "# done: packages curl (installed)\n# nothing to do\n");
  RunResult both = h.Ljail({"--dry-run", "pkg", "d2l", "install", "curl", "python3"});
  EXPECT_NE(both.out.find("# step: packages python3\nin d2l: /usr/bin/env "
                          "DEBIAN_FRONTEND=noninteractive dpkg --configure -a\nin d2l: "
                          "DEBIAN_FRONTEND=noninteractive apt-get update"),
            std::string::npos)
      << both.out;
  EXPECT_NE(both.out.find("in d2l: DEBIAN_FRONTEND=noninteractive apt-get install -y python3 "),
            std::string::npos)
      << both.out;

  RunResult svc = h.Ljail({"--dry-run", "service", "d2l", "enable", "nosuch"});
  EXPECT_EQ(svc.exit_code, 2) << "no such script in the tree at rest: " << svc.out;
  EXPECT_EQ(h.Run({"jls", "-j", "d2l"}).exit_code, 1) << "nothing was started";
  EXPECT_EQ(h.Read(tree + "/etc/passwd"), passwd);
  EXPECT_EQ(h.Read("/etc/jail.conf.d/d2l.conf"), conf);
}

constexpr const char* kAptLine =
    "apt-get update; apt-get install -y curl python3 locales sudo "
    "(DEBIAN_FRONTEND=noninteractive; a policy-rc.d exiting 101 while it runs)";

TEST_F(FreeBSDJail, DryRunShowsTheWholeSetupInOrder) {
  RunResult r =
      h.Ljail({"--dry-run", "create", "d2l", "--suite", "bookworm", "--user", "admin:1000",
               "--nopasswd", "--packages", "curl,python3", "--locale", "zh_CN.UTF-8"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  size_t at = 0;
  for (const char* step :
       {"# step: jail config /etc/jail.conf.d/d2l.conf", "# step: start d2l to set its tree up",
        "# step: packages curl python3 locales sudo", kAptLine, "# step: locale zh_CN.UTF-8",
        "# step: user admin with sudo", "/etc/sudoers.d/ljail-admin checked by visudo -cf",
        "# step: stop d2l"}) {
    size_t found = r.out.find(step, at);
    EXPECT_NE(found, std::string::npos) << step << "\n" << r.out;
    if (found != std::string::npos) at = found;
  }
  EXPECT_FALSE(std::filesystem::exists(h.Real("/etc/jail.conf.d/d2l.conf")));
}

TEST_F(FreeBSDJail, BadTreeSettingsChangeNothing) {
  for (const std::vector<std::string>& extra :
       std::vector<std::vector<std::string>>{{"--user", "root"},
                                             {"--user", "a b"},
                                             {"--user", "x:65534"},
                                             {"--timezone", "Asia/Shangai"},
                                             {"--dns", "static:300.1.1.1"},
                                             {"--nopasswd"},
                                             {"--userns"}}) {
    std::vector<std::string> args = {"create", "d2l", "--suite", "bookworm"};
    args.insert(args.end(), extra.begin(), extra.end());
    RunResult r = h.Ljail(args);
    EXPECT_EQ(r.exit_code, 2) << extra[0] << ": " << r.err;
    if (extra[0] == "--userns") {
      EXPECT_NE(r.err.find("a FreeBSD jail's root is confined by the jail itself"),
                std::string::npos)
          << r.err;
    }
  }
  EXPECT_FALSE(std::filesystem::exists(h.Real("/etc/jail.conf.d/d2l.conf")));
  EXPECT_EQ(h.Run({"zfs", "list", "zroot/jails/containers/d2l"}).exit_code, 1);
}

// Issue 7 on FreeBSD: a vnet jail on a bridge; the jail's own rc configures
// its end of the epair.
TEST_F(FreeBSDJail, VnetJailOnABridge) {
  RunResult r = h.Ljail({"create", "web", "--suite", "bookworm", "--vnet", "--ip4", "10.213.0.2/24",
                         "--gateway", "10.213.0.1"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  testing::MatchesGolden("vnet.conf", h.Read("/etc/jail.conf.d/web.conf"));
  std::string rc = h.Read("/usr/local/jails/containers/web/etc/rc.conf");
  EXPECT_NE(rc.find("ifconfig_epair100b=\"inet 10.213.0.2/24\""), std::string::npos) << rc;
  EXPECT_NE(rc.find("defaultrouter=\"10.213.0.1\""), std::string::npos) << rc;
  // The next vnet jail gets the next epair.
  ASSERT_EQ(h.Ljail({"create", "db", "--suite", "bookworm", "--vnet", "--ip4", "10.213.0.3/24"})
                .exit_code,
            0);
  EXPECT_NE(h.Read("/etc/jail.conf.d/db.conf").find("$ljail_epair = epair101;"), std::string::npos);
  ASSERT_EQ(h.Ljail({"start", "web"}).exit_code, 0);
  EXPECT_EQ(h.Run({"jls", "-j", "web", "vnet.interface"}).out, "epair100b\n");
}

// Issue 15 §3: the simulator runs the generated exec.* lines as jail(8)
// does, so these are the FreeBSD side's lines at work, not golden text.

// The processes running chrooted in the simulated host's trees whose
// command line is `command` (the simulator's jail keeps no process list:
// /proc is the truth).
std::vector<pid_t> ProcessesInTrees(const SimHost& h, const std::string& command) {
  std::vector<pid_t> pids;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::string pid = entry.path().filename();
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    std::error_code ec;
    std::string root = std::filesystem::read_symlink(entry.path() / "root", ec).string();
    if (ec || root.rfind(h.state() + "/", 0) != 0) continue;
    std::ifstream in(entry.path() / "cmdline");
    std::string line;
    try {
      line.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    } catch (const std::ios_base::failure&) {
      continue;  // read(2) fails with ESRCH once the process is gone
    }
    std::replace(line.begin(), line.end(), '\0', ' ');
    if (line == command + " ") pids.push_back(std::stoi(pid));
  }
  return pids;
}

TEST_F(FreeBSDJail, EveryStartCopiesTheHostsResolversWithoutFollowingTheTreesLinks) {
  ASSERT_EQ(CreateD2l().exit_code, 0);
  h.Write("/etc/resolv.conf", "nameserver 127.0.0.1\n");
  ASSERT_EQ(h.Ljail({"start", "d2l"}).exit_code, 0);
  EXPECT_EQ(h.Read(std::string(kTree) + "/etc/resolv.conf"), "nameserver 127.0.0.1\n");
  // The host's resolvers change; the jail's root makes its resolv.conf a
  // link to a path that, followed on the host, is the host's rc.conf.
  h.Write("/etc/resolv.conf", "nameserver 127.0.0.2\n");
  std::string rc_conf = h.Read("/etc/rc.conf");
  std::filesystem::remove(h.Real(std::string(kTree) + "/etc/resolv.conf"));
  std::filesystem::create_symlink("/etc/rc.conf", h.Real(std::string(kTree) + "/etc/resolv.conf"));
  RunResult restart = h.Ljail({"restart", "d2l"});
  ASSERT_EQ(restart.exit_code, 0) << restart.err << restart.out;
  std::string tree_resolv = h.Real(std::string(kTree) + "/etc/resolv.conf");
  EXPECT_FALSE(std::filesystem::is_symlink(tree_resolv));
  EXPECT_EQ(h.Read(std::string(kTree) + "/etc/resolv.conf"), "nameserver 127.0.0.2\n");
  EXPECT_EQ(h.Read("/etc/rc.conf"), rc_conf) << "the host's file is untouched";
}

TEST_F(FreeBSDJail, ADeclaredServiceStartsAndStopsWithTheJail) {
  ASSERT_EQ(CreateD2l().exit_code, 0);
  RunResult enable = h.Ljail({"service", "d2l", "enable", "sleeper", "--command", "sleep 3600"});
  ASSERT_EQ(enable.exit_code, 0) << enable.err << enable.out;
  ASSERT_EQ(h.Ljail({"start", "d2l"}).exit_code, 0);
  // exec.poststart ran the tree's init script through jexec + chroot.
  EXPECT_EQ(ProcessesInTrees(h, "sleep 3600").size(), 1u);
  RunResult stop = h.Ljail({"stop", "d2l"});
  EXPECT_EQ(stop.exit_code, 0) << stop.err;
  EXPECT_TRUE(ProcessesInTrees(h, "sleep 3600").empty()) << "exec.prestop stopped it";
  ASSERT_EQ(h.Ljail({"start", "d2l"}).exit_code, 0);
  EXPECT_EQ(ProcessesInTrees(h, "sleep 3600").size(), 1u) << "and the next start starts it";
  ASSERT_EQ(h.Ljail({"stop", "d2l"}).exit_code, 0);
}

TEST_F(FreeBSDJail, TwoVnetJailsShareABridgeThatGoesWithTheLast) {
  for (const auto& [name, ip] : {std::pair{"web", "10.213.0.2/24"}, {"db", "10.213.0.3/24"}}) {
    RunResult r = h.Ljail(
        {"create", name, "--suite", "bookworm", "--vnet", "--ip4", ip, "--gateway", "10.213.0.1"});
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    ASSERT_EQ(h.Ljail({"start", name}).exit_code, 0) << name;
  }
  std::string bridge = h.Run({"ifconfig", "ljail0"}).out;
  EXPECT_NE(bridge.find("\tdescription: made by ljail\n"), std::string::npos) << bridge;
  EXPECT_NE(bridge.find("\tinet 10.213.0.1 netmask 0xffffff00\n"), std::string::npos) << bridge;
  EXPECT_NE(bridge.find("\tmember: epair100a "), std::string::npos) << bridge;
  EXPECT_NE(bridge.find("\tmember: epair101a "), std::string::npos) << bridge;
  EXPECT_NE(h.Run({"ifconfig", "epair100a"}).out.find("description: jail:web"), std::string::npos);
  EXPECT_EQ(h.Run({"ifconfig", "epair100b"}).exit_code, 1) << "in web's vnet, not the host's";

  ASSERT_EQ(h.Ljail({"stop", "web"}).exit_code, 0);
  bridge = h.Run({"ifconfig", "ljail0"}).out;
  EXPECT_EQ(bridge.find("epair100a"), std::string::npos) << bridge;
  EXPECT_NE(bridge.find("\tmember: epair101a "), std::string::npos) << bridge;
  EXPECT_EQ(h.Run({"ifconfig", "epair100b"}).exit_code, 1) << "the pair went with web";
  ASSERT_EQ(h.Ljail({"stop", "db"}).exit_code, 0);
  EXPECT_EQ(h.Run({"ifconfig", "ljail0"}).exit_code, 1) << "the bridge went with the last";
}

// jail(8) undoes mounts and the jail itself when a start fails, but not
// exec.prestart's epair: the next start must not trip over it.
TEST_F(FreeBSDJail, AStartThatFailedLeavesNothingInTheWayOfTheNext) {
  ASSERT_EQ(h.Ljail({"create", "web", "--suite", "bookworm", "--vnet", "--ip4", "10.213.0.2/24"})
                .exit_code,
            0);
  // The tree loses its shell: exec.created (the resolv.conf copy) fails.
  std::string sh = h.Real("/usr/local/jails/containers/web/compat/debian/usr/bin/sh");
  std::filesystem::rename(sh, sh + ".away");
  RunResult failed = h.Ljail({"start", "web"});
  EXPECT_NE(failed.exit_code, 0);
  EXPECT_NE(failed.err.find("jail: web: /bin/sh -c /usr/sbin/jexec web"), std::string::npos)
      << "exec.created failed: " << failed.err;
  EXPECT_EQ(h.Run({"jls", "-j", "web"}).exit_code, 1);
  EXPECT_EQ(h.Run({"mount", "-p"}).out.find("containers/web/dev"), std::string::npos)
      << "jail(8) unmounted what it mounted";
  EXPECT_EQ(h.Run({"ifconfig", "epair100a"}).exit_code, 0) << "exec.prestart is not undone";

  std::filesystem::rename(sh + ".away", sh);
  RunResult started = h.Ljail({"start", "web"});
  ASSERT_EQ(started.exit_code, 0) << started.err << started.out;
  std::string bridge = h.Run({"ifconfig", "ljail0"}).out;
  EXPECT_NE(bridge.find("\tmember: epair100a "), std::string::npos) << bridge;
  ASSERT_EQ(h.Ljail({"stop", "web"}).exit_code, 0);
  EXPECT_EQ(h.Run({"ifconfig", "epair100a"}).exit_code, 1);
}

// The seed's jail without IPv6: doctor runs its checks and the probe matrix
// through jexec + chroot, names the errno 93 setting and the fix, and
// `ljail set` applies it with the restart jail(8) needs. The host's
// resolver is the seed's: it refuses UDP and answers TCP (dig fails, nc to
// TCP 53 works), here one the test runs on loopback.
TEST_F(FreeBSDJail, DoctorAndSetOnTheSeedsJail) {
  testing::TestResolver resolver("127.0.0.53", "refuse", "answer");
  h.Write("/etc/resolv.conf", "nameserver 127.0.0.53\n");
  ASSERT_EQ(h.Ljail({"create", "d2l", "--suite", "bookworm", "--ip4", "10.0.0.9/24", "--interface",
                     "wifibox0", "--ip6", "disable", "--user", "admin:1000"})
                .exit_code,
            0);
  ASSERT_EQ(h.Ljail({"start", "d2l"}).exit_code, 0);
  RunResult d = h.Ljail({"doctor", "d2l", "--user", "admin", "--json"});
  auto j = nlohmann::json::parse(d.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << d.out << d.err;
  std::vector<std::string> sections;
  for (const auto& s : j["sections"]) sections.push_back(s["section"]);
  EXPECT_EQ(sections, (std::vector<std::string>{"host", "jail d2l", "network of d2l as root",
                                                "network of d2l as admin"}));
  bool ip6_named = false, ran_probes = false, udp_alone = false, tcp_works = false;
  for (const auto& s : j["sections"]) {
    for (const auto& c : s["checks"]) {
      const std::string check = c["check"];
      if (check == "ip6 of the jail") {
        ip6_named = c["verdict"] == "warn" && c["fix"] == "ljail set d2l ip6=inherit";
      }
      if (check.rfind("a server bound to 127.0.0.1 (as admin)", 0) == 0) ran_probes = true;
      if (check == "UDP DNS to 127.0.0.53 (as admin)") {
        udp_alone = c["verdict"] == "fail" &&
                    c["cause"].get<std::string>().find("so it is UDP alone") != std::string::npos;
      }
      if (check == "TCP DNS to 127.0.0.53 port 53 (as admin)") tcp_works = c["verdict"] == "ok";
    }
  }
  EXPECT_TRUE(ip6_named) << d.out;
  EXPECT_TRUE(ran_probes) << "the perl probes ran as admin in the Debian tree: " << d.out;
  EXPECT_TRUE(udp_alone) << "UDP refused, TCP answered: " << d.out;
  EXPECT_TRUE(tcp_works) << d.out;

  RunResult set = h.Ljail({"set", "d2l", "ip6=inherit"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  EXPECT_NE(set.out.find("restarting it"), std::string::npos) << set.out;
  std::string conf = h.Read("/etc/jail.conf.d/d2l.conf");
  EXPECT_NE(conf.find("\tip6 = inherit;\n"), std::string::npos) << conf;
  EXPECT_EQ(conf.find("ip6 = disable"), std::string::npos);
  EXPECT_EQ(h.Run({"jls", "-j", "d2l", "name"}).out, "d2l\n") << "running again";
  RunResult bad = h.Ljail({"set", "d2l", "ip6=maybe"});
  EXPECT_EQ(bad.exit_code, 2);
  RunResult typo = h.Ljail({"set", "d2l", "allow.raw_socket=true"});
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.err.find("did you mean allow.raw_sockets?"), std::string::npos) << typo.err;
  EXPECT_EQ(h.Read("/etc/jail.conf.d/d2l.conf"), conf) << "refused: nothing changed";
}

// ip6 is always explicit: inherit by default, disable (said so) on a kernel
// without IPv6, where inherit would make jail(8) fail.
TEST_F(FreeBSDJail, Ip6DefaultFollowsTheKernel) {
  nlohmann::json state = nlohmann::json::parse(h.Run({"cat", h.state() + "/state.json"}).out);
  state["sysctls"].erase("kern.features.inet6");
  std::ofstream(h.state() + "/state.json") << state.dump();
  RunResult r = h.Ljail({"create", "d2l", "--suite", "bookworm"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("this host has no IPv6 (no kern.features.inet6), so d2l has ip6 = disable"),
            std::string::npos)
      << r.out;
  EXPECT_NE(h.Read("/etc/jail.conf.d/d2l.conf").find("\tip6 = disable;\n"), std::string::npos);
  ASSERT_EQ(h.Ljail({"create", "lab", "--suite", "bookworm", "--ip6", "inherit"}).exit_code, 0);
  EXPECT_NE(h.Read("/etc/jail.conf.d/lab.conf").find("\tip6 = inherit;\n"), std::string::npos)
      << "what the user asks for is kept";
}

// Resource limits are rctl(8) rules of the jail: refused while the kernel
// keeps no accounting (GENERIC's kern.racct.enable=0), then one deny rule
// per resource, put in force at once on the running jail and at every
// start by the jail's own exec.prestart line.
TEST_F(FreeBSDJail, LimitsAreRctlRules) {
  ASSERT_EQ(h.Ljail({"create", "d2l", "--suite", "bookworm"}).exit_code, 0);
  ASSERT_EQ(h.Ljail({"start", "d2l"}).exit_code, 0);
  std::string before = h.Read("/etc/jail.conf.d/d2l.conf");
  RunResult off = h.Ljail({"set", "d2l", "memoryuse=512M"});
  EXPECT_EQ(off.exit_code, 2) << off.err;
  EXPECT_NE(off.err.find("kern.racct.enable=1 to /boot/loader.conf"), std::string::npos) << off.err;
  EXPECT_EQ(h.Read("/etc/jail.conf.d/d2l.conf"), before) << "refused: nothing changed";

  nlohmann::json state = nlohmann::json::parse(h.Run({"cat", h.state() + "/state.json"}).out);
  state["sysctls"]["kern.racct.enable"] = "1";  // as /boot/loader.conf sets it at boot
  std::ofstream(h.state() + "/state.json") << state.dump();
  RunResult set = h.Ljail({"set", "d2l", "memoryuse=512M", "maxproc=100"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  EXPECT_EQ(h.Run({"rctl"}).out, "jail:d2l:memoryuse:deny=536870912\njail:d2l:maxproc:deny=100\n");
  std::string conf = h.Read("/etc/jail.conf.d/d2l.conf");
  EXPECT_NE(conf.find("$ljail_rctl = \"memoryuse=536870912 maxproc=100\";"), std::string::npos)
      << conf;
  EXPECT_NE(conf.find("exec.prestart += \"/usr/bin/rctl -r jail:${name} 2>/dev/null; for r in "
                      "${ljail_rctl}; do /usr/bin/rctl -a jail:${name}:\\${r%%=*}:deny=\\${r#*=} "
                      "|| exit 1; done\";"),
            std::string::npos)
      << conf;
  EXPECT_NE(conf.find("exec.poststop += \"/usr/bin/rctl -r jail:${name} 2>/dev/null || true\";"),
            std::string::npos)
      << conf;
  EXPECT_EQ(h.Ljail({"conf", "check", "/etc/jail.conf.d/d2l.conf"}).exit_code, 0);

  // Changed and lifted while it runs; the lines are not added twice.
  ASSERT_EQ(h.Ljail({"set", "d2l", "memoryuse=1G", "maxproc=none"}).exit_code, 0);
  EXPECT_EQ(h.Run({"rctl"}).out, "jail:d2l:memoryuse:deny=1073741824\n");
  conf = h.Read("/etc/jail.conf.d/d2l.conf");
  EXPECT_EQ(conf.find("exec.prestart"), conf.rfind("exec.prestart")) << conf;
  EXPECT_NE(conf.find("$ljail_rctl = \"memoryuse=1073741824\";"), std::string::npos) << conf;
}

TEST_F(FreeBSDJail, RestartAndShell) {
  ASSERT_EQ(CreateD2l().exit_code, 0);
  ASSERT_EQ(h.Ljail({"start", "d2l"}).exit_code, 0);
  RunResult again = h.Ljail({"start", "d2l"});
  EXPECT_EQ(again.out, "d2l is running already\n");
  RunResult restart = h.Ljail({"restart", "d2l"});
  EXPECT_EQ(restart.exit_code, 0) << restart.err;
  EXPECT_EQ(restart.out, "Stopping jails: d2l.\nStarting jails: d2l.\n");
  EXPECT_EQ(h.Run({"jls", "-j", "d2l", "jid"}).out, "2\n") << "a new jail";
  // A login shell reading from /dev/null ends at once, with status 0.
  RunResult shell = h.Ljail({"shell", "d2l"});
  EXPECT_EQ(shell.exit_code, 0) << shell.err;
  RunResult stopped = h.Ljail({"stop", "d2l"});
  RunResult enter = h.Ljail({"exec", "d2l", "--", "id"});
  EXPECT_EQ(enter.exit_code, 1);
  EXPECT_EQ(enter.err, "ljail: d2l is not running: ljail start d2l\n");
}

TEST_F(FreeBSDJail, TemplateFromATarball) {
  const char* cache_dir = std::getenv("LJAIL_SIM_DEBOOTSTRAP_CACHE");
  ASSERT_NE(cache_dir, nullptr);
  std::string cache = cache_dir;
  RunResult r = h.Ljail({"template", "build", "debian:bookworm", "--from-tarball",
                         cache + "/bookworm-amd64-minbase.tar"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json list = nlohmann::json::parse(h.Ljail({"template", "list", "--json"}).out);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["mirror"].get<std::string>().substr(0, 8), "tarball:");
  EXPECT_EQ(list[0]["os"], "Debian GNU/Linux 12 (bookworm)");
  EXPECT_EQ(list[0]["complete"], true);
  RunResult wrong = h.Ljail({"template", "build", "ubuntu:noble", "--from-tarball",
                             cache + "/bookworm-amd64-minbase.tar"});
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_NE(wrong.err.find("the tarball holds \"debian\", not ubuntu"), std::string::npos)
      << wrong.err;
}

TEST_F(FreeBSDJail, GeneratedConfigForTheSeedsJail) {
  ASSERT_EQ(CreateD2l().exit_code, 0);
  testing::MatchesGolden("d2l.conf", h.Read("/etc/jail.conf.d/d2l.conf"));
  RunResult check = h.Ljail({"conf", "check", "/etc/jail.conf"});
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_EQ(check.err, "") << "no warning either";
}

TEST_F(FreeBSDJail, TwoSharedDirectories) {
  std::filesystem::create_directories(h.Real("/srv/data"));
  RunResult r = h.Ljail({"create", "lab", "--suite", "bookworm", "--share", "/home:/home:ro",
                         "--share", "/srv/data:/data", "--share", "/tmp"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  testing::MatchesGolden("lab.conf", h.Read("/etc/jail.conf.d/lab.conf"));
  ASSERT_EQ(h.Ljail({"start", "lab"}).exit_code, 0);
  std::string mounts = h.Run({"mount", "-p"}).out;
  EXPECT_NE(
      mounts.find("/srv/data\t/usr/local/jails/containers/lab/compat/debian/data\tnullfs\trw"),
      std::string::npos);
  EXPECT_NE(mounts.find("/home\t/usr/local/jails/containers/lab/compat/debian/home\tnullfs\tro"),
            std::string::npos);
  EXPECT_EQ(mounts.find("tmpfs\t/usr/local/jails/containers/lab/compat/debian/tmp"),
            std::string::npos)
      << "/tmp is shared on purpose: no private tmpfs over it";
}

TEST_F(FreeBSDJail, SecondJailReusesTheTemplate) {
  ASSERT_EQ(CreateD2l().exit_code, 0);
  RunResult second = h.Ljail({"create", "web", "--suite", "bookworm"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("skip  template debian-bookworm-amd64-minbase: debootstrap"),
            std::string::npos)
      << second.out;
  EXPECT_EQ(second.out.find("do    template"), std::string::npos) << "no new debootstrap run";
  EXPECT_EQ(
      h.Run({"zfs", "get", "-H", "-o", "value", "origin", "zroot/jails/containers/web/linux"}).out,
      "zroot/jails/templates/debian-bookworm-amd64-minbase@base\n")
      << "a clone: no userland data copied";
  nlohmann::json t = nlohmann::json::parse(
      h.Ljail({"template", "info", "debian-bookworm-amd64-minbase", "--json"}).out);
  EXPECT_EQ(t["used_by"], nlohmann::json::array({"d2l", "web"}));
  EXPECT_GT(t["package_count"].get<int>(), 50);
  EXPECT_EQ(t["packages"]["base-files"].get<std::string>().substr(0, 2), "12");
  RunResult rm = h.Ljail({"template", "rm", "debian-bookworm-amd64-minbase"});
  EXPECT_EQ(rm.exit_code, 1);
  EXPECT_EQ(rm.err,
            "ljail: template debian-bookworm-amd64-minbase is used by d2l, web: destroy those "
            "jails first\n");
}

TEST_F(FreeBSDJail, ListAndInfo) {
  ASSERT_EQ(CreateD2l().exit_code, 0);
  ASSERT_EQ(h.Ljail({"start", "d2l"}).exit_code, 0);
  nlohmann::json list = nlohmann::json::parse(h.Ljail({"list", "--json"}).out);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["name"], "d2l");
  EXPECT_EQ(list[0]["state"], "running");
  EXPECT_EQ(list[0]["jid"], 1);
  EXPECT_EQ(list[0]["ip4"], nlohmann::json::array({"10.0.0.9/24"}));
  EXPECT_EQ(list[0]["distro"], "debian");
  EXPECT_EQ(list[0]["template"], "debian-bookworm-amd64-minbase");
  EXPECT_EQ(list[0]["origin"], "zroot/jails/templates/14.3-RELEASE@base");
  RunResult text = h.Ljail({"list"});
  EXPECT_NE(text.out.find("d2l            running        1  d2l"), std::string::npos) << text.out;
  nlohmann::json info = nlohmann::json::parse(h.Ljail({"info", "d2l", "--json"}).out);
  EXPECT_EQ(info["mounts"].size(), 7u);
  // The same facts as a block to read: lists one item per line, empty
  // fields left out, no JSON.
  RunResult block = h.Ljail({"info", "d2l"});
  for (const char* line : {"name:      d2l\n", "jid:       1\n", "ip4:       10.0.0.9/24\n",
                           "managed:   yes\n", "mounts:\n  devfs "}) {
    EXPECT_NE(block.out.find(line), std::string::npos) << line << "\n" << block.out;
  }
  EXPECT_EQ(block.out.find("finish:"), std::string::npos) << "empty: left out\n" << block.out;
  EXPECT_EQ(block.out.find("[\""), std::string::npos) << "no raw JSON\n" << block.out;
}

TEST_F(FreeBSDJail, AdoptsAHandMadeHandbookJail) {
  std::filesystem::create_directories(
      h.Real("/usr/local/jails/containers/ubuntu/compat/ubuntu/etc"));
  h.Write("/usr/local/jails/containers/ubuntu/compat/ubuntu/etc/os-release",
          "ID=ubuntu\nVERSION_CODENAME=jammy\n");
  h.Write("/etc/jail.conf.d/ubuntu.conf", R"(ubuntu {
  path = "/usr/local/jails/containers/${name}";
  mount += "linprocfs $path/compat/ubuntu/proc linprocfs rw 0 0";
  mount += "linsysfs  $path/compat/ubuntu/sys  linsysfs  rw 0 0";
}
)");
  nlohmann::json list = nlohmann::json::parse(h.Ljail({"list", "--json"}).out);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["name"], "ubuntu");
  EXPECT_EQ(list[0]["managed"], false);
  EXPECT_EQ(list[0]["linux"], "/compat/ubuntu");
  EXPECT_EQ(list[0]["distro"], "ubuntu");
  EXPECT_EQ(list[0]["suite"], "jammy");
  RunResult destroy = h.Ljail({"destroy", "ubuntu"});
  EXPECT_EQ(destroy.exit_code, 2) << "ljail does not delete what it did not make";
}

TEST_F(FreeBSDJail, DestroyLeavesTheSharedHomeAlone) {
  ASSERT_EQ(CreateD2l().exit_code, 0);
  ASSERT_EQ(h.Ljail({"start", "d2l"}).exit_code, 0);
  RunResult running = h.Ljail({"destroy", "d2l"});
  EXPECT_EQ(running.exit_code, 2) << "a running jail needs --force";
  EXPECT_NE(running.err.find("d2l is running: stop it first (ljail stop d2l)"), std::string::npos)
      << running.err;
  EXPECT_EQ(h.Run({"jls", "-j", "d2l", "jid"}).exit_code, 0) << "still running";
  RunResult r = h.Ljail({"destroy", "-f", "d2l"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_EQ(h.Read("/home/admin/canary"), "the host's file");
  EXPECT_FALSE(std::filesystem::exists(h.Real("/etc/jail.conf.d/d2l.conf")));
  EXPECT_EQ(h.Run({"zfs", "list", "zroot/jails/containers/d2l"}).exit_code, 1);
  EXPECT_EQ(h.Run({"mount", "-p"}).out, "zroot/ROOT/default\t/\tzfs\trw\t0 0\n");
  EXPECT_EQ(h.Run({"zfs", "list", "-H", "-o", "name",
                   "zroot/jails/templates/debian-bookworm-amd64-minbase"})
                .exit_code,
            0)
      << "templates stay";
}

TEST_F(FreeBSDJail, DestroyRefusesWhileTheShareStaysMounted) {
  ASSERT_EQ(CreateD2l().exit_code, 0);
  ASSERT_EQ(h.Ljail({"start", "d2l"}).exit_code, 0);
  std::string share = std::string(kTree) + "/home";
  // rc.d/jail's stop cannot unmount a busy share: the jail goes, the mount stays.
  nlohmann::json state = nlohmann::json::parse(h.Run({"cat", h.state() + "/state.json"}).out);
  state["busy_mounts"] = {share};
  std::ofstream(h.state() + "/state.json") << state.dump();
  h.Ljail({"stop", "d2l"});  // the jail goes; the busy share stays mounted
  RunResult r = h.Ljail({"destroy", "d2l"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("umount " + share), std::string::npos) << r.err;
  EXPECT_EQ(h.Read("/home/admin/canary"), "the host's file");
  EXPECT_TRUE(std::filesystem::exists(h.Real("/etc/jail.conf.d/d2l.conf"))) << "nothing deleted";
  EXPECT_EQ(h.Run({"zfs", "list", "zroot/jails/containers/d2l"}).exit_code, 0);
  // With --force the share is unmounted (umount -f), then the jail goes.
  RunResult forced = h.Ljail({"destroy", "d2l", "--force"});
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(h.Read("/home/admin/canary"), "the host's file");
}

TEST_F(FreeBSDJail, CreateDryRunPrintsTheFileAndCommandsAndChangesNothing) {
  std::string before = testing::Snapshot(h);
  RunResult r = h.Ljail({"--dry-run", "create", "d2l", "--suite", "bookworm", "--ip4",
                         "10.0.0.9/24", "--interface", "wifibox0", "--share", "/home"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(
      r.out.find("zfs clone zroot/jails/templates/14.3-RELEASE@base zroot/jails/containers/d2l"),
      std::string::npos);
  EXPECT_NE(
      r.out.find(
          "debootstrap --arch=amd64 --variant=minbase --merged-usr "
          "--keyring=/usr/local/share/keyrings/debian-archive-keyring.gpg bookworm "
          "/usr/local/jails/templates/debian-bookworm-amd64-minbase http://deb.debian.org/debian"),
      std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("cat > /etc/jail.conf.d/d2l.conf <<'EOF'"), std::string::npos);
  EXPECT_NE(r.out.find("mount += \"/home $path/compat/debian/home nullfs rw 0 0\";"),
            std::string::npos);
  testing::ExpectSameState(before, testing::Snapshot(h));
}

TEST_F(FreeBSDJail, BadInputIsRefusedWithExit2AndNothingWritten) {
  std::string before = testing::Snapshot(h);
  struct Case {
    std::vector<std::string> args;
    std::string err;
  } cases[] = {
      {{"create", "d2l.web", "--suite", "bookworm"}, "jail name \"d2l.web\": use 1 to 63 letters"},
      {{"create", "a/b", "--suite", "bookworm"}, "jail name \"a/b\""},
      {{"create", "d2l", "--suite", "bookworm", "--ip4", "10.0.0.300/24"},
       "is not an IPv4 address"},
      {{"create", "d2l", "--suite", "bookwrom"},
       "debian suite \"bookwrom\" (did you mean bookworm?)"},
      {{"create", "d2l", "--suite", "bookworm", "--share", "home"}, "expected an absolute path"},
      {{"create", "d2l", "--suite", "bookworm", "--share", "/nonexistent"},
       "no directory /nonexistent on the host"},
      {{"create", "d2l", "--suite", "bookworm", "--share", "/srv:/lib/x"},
       "/lib/x belongs to the Linux system"},
      {{"create", "d2l", "--suite", "bookworm", "--interface", "wifibox0"},
       "--interface needs an address"},
      {{"create", "d2l", "--suite", "bookworm", "--ip4", "10.0.0.9/24", "--interface", "wlan9"},
       "--interface wlan9: this host has no such interface"},
      {{"create", "d2l", "--suite", "bookworm", "--ip6", "maybe"},
       "expected inherit, disable or an IPv6 address"},
      {{"create", "d2l", "--distro", "fedora", "--suite", "40"}, "expected debian or ubuntu"},
      {{"create", "d2l", "--suite", "bookworm", "--release", "14.3"},
       "expected a name such as 14.3-RELEASE"},
      {{"create", "d2l", "--suite", "bookworm", "--hostname", "bad_host"},
       "host name \"bad_host\""},
      {{"create", "d2l", "--template", "nope"}, "no complete Linux template"},
      {{"create", "d2l", "--suite", "trixie", "--template", "nope"},
       "--template nope fixes the distro, suite and packages"},
      {{"template", "build", "debian:bookworm", "--no-check-gpg", "--keyring", "/k.gpg"},
       "--no-check-gpg and --keyring contradict each other"},
      {{"template", "build", "debian:bookworm", "--from-tarball", "/etc/rc.conf", "--mirror",
        "http://127.0.0.1/debian"},
       "--from-tarball: the tree comes from the file"},
      {{"exec", "nojail", "--", "id"}, "no jail \"nojail\""},
      {{"start", "../x"}, "jail name \"../x\""},
  };
  std::filesystem::create_directories(h.Real("/srv"));
  for (const Case& c : cases) {
    RunResult r = h.Ljail(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args[1] << ": " << r.err;
    EXPECT_NE(r.err.find(c.err), std::string::npos) << r.err;
  }
  std::filesystem::remove(h.Real("/srv"));
  testing::ExpectSameState(before, testing::Snapshot(h));
}

// A file with ljail's variables and a path of its own: destroy refuses and
// deletes nothing (it would have destroyed containers/NAME and unmounted
// what is below that path).
TEST_F(FreeBSDJail, DestroyDeletesOnlyStorageLjailMade) {
  std::filesystem::create_directories(h.Real("/srv/victim"));
  h.Write("/srv/victim/keep", "the host's");
  h.Write("/etc/jail.conf.d/evil.conf",
          "evil {\n\t$ljail_distro = debian;\n\tpath = \"/srv/victim\";\n\tpersist;\n}\n");
  RunResult r = h.Ljail({"destroy", "evil"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("ljail deletes only the storage it made"), std::string::npos) << r.err;
  EXPECT_EQ(h.Read("/srv/victim/keep"), "the host's");
  EXPECT_TRUE(std::filesystem::exists(h.Real("/etc/jail.conf.d/evil.conf")));
}

TEST_F(FreeBSDJail, CreatingAnExistingJailIsRefused) {
  ASSERT_EQ(CreateD2l().exit_code, 0);
  RunResult again = CreateD2l();
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_EQ(
      again.err,
      "ljail: jail \"d2l\" exists already (/etc/jail.conf.d/d2l.conf); ljail destroy d2l first\n");
}

TEST_F(FreeBSDJail, NoKeyringMeansNoSilentUncheckedDownload) {
  std::filesystem::remove(h.Real("/usr/local/share/keyrings/debian-archive-keyring.gpg"));
  RunResult r = h.Ljail({"template", "build", "debian:bookworm"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(
      r.err.find(
          "no debian archive keyring at /usr/local/share/keyrings/debian-archive-keyring.gpg"),
      std::string::npos)
      << r.err;
  RunResult unchecked = h.Ljail({"template", "build", "debian:bookworm", "--no-check-gpg"});
  EXPECT_EQ(unchecked.exit_code, 0) << unchecked.err;
  EXPECT_NE(unchecked.err.find("warning: --no-check-gpg"), std::string::npos);
}

}  // namespace
}  // namespace ljail
