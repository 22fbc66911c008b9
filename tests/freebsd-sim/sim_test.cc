// The simulator's own rules, each shown against FreeBSD's message and exit
// code (docs/freebsd.md). If the simulator is lenient, ljail's tests on it
// prove nothing; these tests keep it strict.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "support/run_ljail.h"
#include "support/sim_host.h"

namespace ljail {
namespace {

using testing::RunResult;
using testing::SimHost;

void ExpectFails(const RunResult& r, int code, const std::string& err) {
  EXPECT_EQ(r.exit_code, code) << r.err;
  EXPECT_EQ(r.err, err);
}

// --- zfs (§6) ------------------------------------------------------------

TEST(SimZfs, UnknownFlagIsAUsageError) {
  SimHost h;
  RunResult r = h.Run({"zfs", "create", "-x", "zroot/a"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.substr(0, 21), "invalid option 'x'\nus");
}

TEST(SimZfs, CreateExistingNeedsP) {
  SimHost h;
  ASSERT_EQ(h.Run({"zfs", "create", "zroot/a"}).exit_code, 0);
  ExpectFails(h.Run({"zfs", "create", "zroot/a"}), 1,
              "cannot create 'zroot/a': dataset already exists\n");
  EXPECT_EQ(h.Run({"zfs", "create", "-p", "zroot/a"}).exit_code, 0);
}

TEST(SimZfs, MissingParentNeedsP) {
  SimHost h;
  ExpectFails(h.Run({"zfs", "create", "zroot/a/b"}), 1,
              "cannot create 'zroot/a/b': parent does not exist\n");
  EXPECT_EQ(h.Run({"zfs", "create", "-p", "zroot/a/b"}).exit_code, 0);
  EXPECT_EQ(h.Run({"zfs", "list", "-H", "-o", "name", "-r", "zroot/a"}).out,
            "zroot/a\nzroot/a/b\n");
}

TEST(SimZfs, MountpointsAreDirectoriesUnderTheRoot) {
  SimHost h;
  ASSERT_EQ(h.Run({"zfs", "create", "-o", "mountpoint=/usr/local/jails", "zroot/jails"}).exit_code,
            0);
  ASSERT_EQ(h.Run({"zfs", "create", "zroot/jails/templates"}).exit_code, 0);
  EXPECT_TRUE(std::filesystem::is_directory(h.Real("/usr/local/jails/templates")));
  EXPECT_EQ(h.Run({"zfs", "get", "-H", "-o", "value", "mountpoint", "zroot/jails/templates"}).out,
            "/usr/local/jails/templates\n");
}

TEST(SimZfs, CloneOfAMissingSnapshot) {
  SimHost h;
  ASSERT_EQ(h.Run({"zfs", "create", "zroot/t"}).exit_code, 0);
  ExpectFails(h.Run({"zfs", "clone", "zroot/t@base", "zroot/c"}), 1,
              "cannot open 'zroot/t@base': dataset does not exist\n");
}

TEST(SimZfs, SnapshotIsFrozenAndCloneStartsFromIt) {
  SimHost h;
  ASSERT_EQ(h.Run({"zfs", "create", "zroot/t"}).exit_code, 0);
  h.Write("/zroot/t/file", "v1");
  ASSERT_EQ(h.Run({"zfs", "snapshot", "zroot/t@base"}).exit_code, 0);
  h.Write("/zroot/t/file", "v2");
  ASSERT_EQ(h.Run({"zfs", "clone", "zroot/t@base", "zroot/c"}).exit_code, 0);
  EXPECT_EQ(h.Read("/zroot/c/file"), "v1");
  EXPECT_EQ(h.Run({"zfs", "get", "-H", "-o", "value", "origin", "zroot/c"}).out, "zroot/t@base\n");
  ExpectFails(h.Run({"zfs", "snapshot", "zroot/t@base"}), 1,
              "cannot create snapshot 'zroot/t@base': dataset already exists\n");
}

TEST(SimZfs, SnapshotWithClonesCannotBeDestroyed) {
  SimHost h;
  h.Run({"zfs", "create", "zroot/t"});
  h.Run({"zfs", "snapshot", "zroot/t@base"});
  h.Run({"zfs", "clone", "zroot/t@base", "zroot/c1"});
  ExpectFails(h.Run({"zfs", "destroy", "zroot/t@base"}), 1,
              "cannot destroy 'zroot/t@base': snapshot has dependent clones\n"
              "use '-R' to destroy the following datasets:\nzroot/c1\n");
  ExpectFails(h.Run({"zfs", "destroy", "-r", "zroot/t"}), 1,
              "cannot destroy 'zroot/t': filesystem has dependent clones\n"
              "use '-R' to destroy the following datasets:\nzroot/c1\n");
  EXPECT_EQ(h.Run({"zfs", "destroy", "zroot/c1"}).exit_code, 0);
  EXPECT_EQ(h.Run({"zfs", "destroy", "zroot/t@base"}).exit_code, 0);
}

TEST(SimZfs, DatasetWithChildrenOrSnapshotsNeedsR) {
  SimHost h;
  h.Run({"zfs", "create", "-p", "zroot/a/b"});
  h.Run({"zfs", "snapshot", "zroot/a@s"});
  ExpectFails(h.Run({"zfs", "destroy", "zroot/a"}), 1,
              "cannot destroy 'zroot/a': filesystem has children\n"
              "use '-r' to destroy the following datasets:\nzroot/a/b\nzroot/a@s\n");
  EXPECT_EQ(h.Run({"zfs", "destroy", "-r", "zroot/a"}).exit_code, 0);
  ExpectFails(h.Run({"zfs", "list", "zroot/a"}), 1,
              "cannot open 'zroot/a': dataset does not exist\n");
}

TEST(SimZfs, BusyDatasetCannotBeDestroyed) {
  SimHost h;
  h.Run({"zfs", "create", "zroot/j"});
  std::filesystem::create_directories(h.Real("/zroot/j/dev"));
  ASSERT_EQ(h.Run({"mount", "-t", "devfs", "devfs", "/zroot/j/dev"}).exit_code, 0);
  ExpectFails(h.Run({"zfs", "destroy", "zroot/j"}), 1,
              "cannot unmount '/zroot/j': pool or dataset is busy\n");
}

TEST(SimZfs, ListScriptedFormat) {
  SimHost h;
  h.Run({"zfs", "create", "zroot/t"});
  h.Run({"zfs", "snapshot", "zroot/t@base"});
  EXPECT_EQ(h.Run({"zfs", "list", "-H", "-p", "-o", "name,origin", "-t", "filesystem,snapshot",
                   "-r", "zroot/t"})
                .out,
            "zroot/t\t-\nzroot/t@base\t-\n");
}

TEST(SimZfs, DepthZeroListsPools) {
  SimHost h;
  h.Run({"zfs", "create", "-p", "zroot/a/b"});
  EXPECT_EQ(h.Run({"zfs", "list", "-H", "-o", "name", "-d", "0"}).out, "zroot\n");
}

// --- mount, umount (§3.1) -------------------------------------------------

TEST(SimMount, MountPointMustExist) {
  SimHost h;
  ExpectFails(h.Run({"mount", "-t", "tmpfs", "tmpfs", "/nowhere"}), 1,
              "mount: /nowhere: No such file or directory\n");
}

TEST(SimMount, NullfsSourceMustExist) {
  SimHost h;
  ExpectFails(h.Run({"mount", "-t", "nullfs", "/nosuch", "/tmp"}), 1,
              "mount_nullfs: /nosuch: No such file or directory\n");
}

TEST(SimMount, ListAndUnmountInOrder) {
  SimHost h;
  std::filesystem::create_directories(h.Real("/j/dev/fd"));
  ASSERT_EQ(h.Run({"mount", "-t", "devfs", "-o", "ruleset=4", "devfs", "/j/dev"}).exit_code, 0);
  ASSERT_EQ(h.Run({"mount", "-t", "fdescfs", "fdescfs", "/j/dev/fd"}).exit_code, 0);
  EXPECT_EQ(h.Run({"mount", "-p"}).out,
            "zroot/ROOT/default\t/\tzfs\trw\t0 0\ndevfs\t/j/dev\tdevfs\truleset=4\t0 0\n"
            "fdescfs\t/j/dev/fd\tfdescfs\trw\t0 0\n");
  ExpectFails(h.Run({"umount", "/j/dev"}), 1, "umount: unmount of /j/dev failed: Device busy\n");
  EXPECT_EQ(h.Run({"umount", "/j/dev/fd"}).exit_code, 0);
  EXPECT_EQ(h.Run({"umount", "/j/dev"}).exit_code, 0);
  ExpectFails(h.Run({"umount", "/j/dev"}), 1, "umount: /j/dev: not a file system root directory\n");
}

TEST(SimMount, DevfsRulesetDecidesWhatDevIs) {
  SimHost h;
  h.Run({"kldload", "linux64"});
  std::filesystem::create_directories(h.Real("/a/dev"));
  std::filesystem::create_directories(h.Real("/b/dev"));
  ASSERT_EQ(h.Run({"mount", "-t", "devfs", "devfs", "/a/dev"}).exit_code, 0);
  ASSERT_EQ(h.Run({"mount", "-t", "devfs", "-o", "ruleset=4", "devfs", "/b/dev"}).exit_code, 0);
  // No ruleset: the host's disks and memory are there, and the Linux shm.
  EXPECT_EQ(h.Run({"mount", "-t", "tmpfs", "tmpfs", "/a/dev/shm"}).exit_code, 0);
  EXPECT_TRUE(std::filesystem::exists(h.state() + "/vfs/1/kmem"));
  // devfsrules_jail hides shm: a tmpfs on dev/shm then has nowhere to go.
  ExpectFails(h.Run({"mount", "-t", "tmpfs", "tmpfs", "/b/dev/shm"}), 1,
              "mount: /b/dev/shm: No such file or directory\n");
}

// --- jail, jls, service (§1.5, §2) ----------------------------------------

constexpr const char* kJailConf = R"(j1 {
  path = "/jails/j1";
  host.hostname = "j1.example.org";
  ip4.addr = "em0|10.0.0.9/24";
  persist;
  mount += "tmpfs $path/tmp tmpfs rw,mode=1777 0 0";
  mount += "/home $path/home nullfs rw 0 0";
  mount += "tmpfs $path/home/x tmpfs rw 0 0";
}
)";

class SimJail : public ::testing::Test {
 protected:
  void SetUp() override {
    h.Write("/etc/jail.conf", kJailConf);
    for (const char* d : {"/jails/j1/tmp", "/jails/j1/home", "/home/x"}) {
      std::filesystem::create_directories(h.Real(d));
    }
  }
  SimHost h;
};

TEST_F(SimJail, CreateMountsInOrderAndRemoveUnmountsInReverse) {
  RunResult r = h.Run({"jail", "-f", "/etc/jail.conf", "-c", "j1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "j1: created\n");
  EXPECT_EQ(h.Run({"mount", "-p"}).out,
            "zroot/ROOT/default\t/\tzfs\trw\t0 0\n"
            "tmpfs\t/jails/j1/tmp\ttmpfs\trw,mode=1777\t0 0\n"
            "/home\t/jails/j1/home\tnullfs\trw\t0 0\n"
            "tmpfs\t/jails/j1/home/x\ttmpfs\trw\t0 0\n");
  EXPECT_EQ(h.Run({"jls", "-j", "j1", "jid", "name", "ip4.addr"}).out, "1 j1 10.0.0.9\n");
  // "em0|10.0.0.9/24": jail(8) adds the address to em0 and removes it again.
  EXPECT_NE(h.Run({"ifconfig", "em0"}).out.find("inet 10.0.0.9 netmask 0xffffff00"),
            std::string::npos);
  RunResult removed = h.Run({"jail", "-r", "j1"});
  EXPECT_EQ(removed.exit_code, 0) << removed.err;
  EXPECT_EQ(removed.out, "j1: removed\n");
  EXPECT_EQ(h.Run({"mount", "-p"}).out, "zroot/ROOT/default\t/\tzfs\trw\t0 0\n");
  EXPECT_EQ(h.Run({"ifconfig", "em0"}).out.find("10.0.0.9"), std::string::npos);
}

TEST_F(SimJail, CreatingARunningJailFails) {
  ASSERT_EQ(h.Run({"jail", "-c", "j1"}).exit_code, 0);
  ExpectFails(h.Run({"jail", "-c", "j1"}), 1, "jail: \"j1\" already exists\n");
}

TEST_F(SimJail, RemovingAStoppedJailFails) {
  ExpectFails(h.Run({"jail", "-r", "j1"}), 1, "jail: \"j1\" not found\n");
}

TEST_F(SimJail, MountPointThroughASymlinkIsRefused) {
  std::filesystem::remove(h.Real("/jails/j1/tmp"));
  std::filesystem::create_directories(h.Real("/elsewhere"));
  std::filesystem::create_directory_symlink("/elsewhere", h.Real("/jails/j1/tmp"));
  ExpectFails(h.Run({"jail", "-c", "j1"}), 1,
              "jail: j1: mount: /jails/j1/tmp is a symbolic link\n");
}

TEST_F(SimJail, MissingMountPointFailsAndEarlierMountsAreUndone) {
  std::filesystem::remove(h.Real("/home/x"));
  std::filesystem::remove(h.Real("/jails/j1/home/x"));
  ExpectFails(h.Run({"jail", "-c", "j1"}), 1,
              "jail: j1: mount: /jails/j1/home/x: No such file or directory\n");
  // A failed start is undone backwards (docs/freebsd.md §2.3): the earlier
  // mounts and the address go again.
  EXPECT_EQ(h.Run({"mount", "-p"}).out, "zroot/ROOT/default\t/\tzfs\trw\t0 0\n");
  EXPECT_EQ(h.Run({"ifconfig", "em0"}).out.find("10.0.0.9"), std::string::npos);
  EXPECT_EQ(h.Run({"jls", "-j", "j1"}).exit_code, 1);
}

TEST_F(SimJail, MissingPath) {
  std::filesystem::remove_all(h.Real("/jails/j1"));
  ExpectFails(h.Run({"jail", "-c", "j1"}), 1,
              "jail: j1: path /jails/j1: No such file or directory\n");
}

TEST_F(SimJail, JlsVerboseJson) {
  ASSERT_EQ(h.Run({"jail", "-c", "j1"}).exit_code, 0);
  nlohmann::json out = nlohmann::json::parse(h.Run({"jls", "-v", "--libxo", "json"}).out);
  EXPECT_EQ(out["__version"], "2");
  const auto& j = out["jail-information"]["jail"][0];
  EXPECT_EQ(j["jid"], 1);
  EXPECT_EQ(j["name"], "j1");
  EXPECT_EQ(j["hostname"], "j1.example.org");
  EXPECT_EQ(j["state"], "ACTIVE");
  EXPECT_EQ(j["ipv4_addrs"], nlohmann::json::array({"10.0.0.9"}));
}

TEST_F(SimJail, JlsOfAMissingJail) {
  ExpectFails(h.Run({"jls", "-j", "nope"}), 1, "jls: jail \"nope\" not found\n");
  EXPECT_EQ(h.Run({"jls", "-z"}).exit_code, 1);
}

TEST_F(SimJail, ServiceNeedsJailEnableAndSaysSoOnStdout) {
  RunResult r = h.Run({"service", "jail", "start", "j1"});
  EXPECT_EQ(r.exit_code, 0) << "rc.subr returns 0 here: callers must check jail_enable";
  EXPECT_EQ(r.out,
            "Cannot 'start' jail. Set jail_enable to YES in /etc/rc.conf or use 'onestart' instead "
            "of 'start'.\n");
  EXPECT_EQ(h.Run({"jls", "-j", "j1"}).exit_code, 1);
}

TEST_F(SimJail, ServiceStartAndStop) {
  h.Run({"sysrc", "jail_enable=YES"});
  RunResult r = h.Run({"service", "jail", "start", "j1"});
  EXPECT_EQ(r.out, "Starting jails: j1.\n");
  EXPECT_EQ(h.Read("/var/run/jail_j1.id"), "1\n");
  EXPECT_EQ(h.Run({"service", "jail", "stop", "j1"}).out, "Stopping jails: j1.\n");
  EXPECT_EQ(h.Run({"service", "jail", "stop", "j1"}).out, "Stopping jails:.\n")
      << "not running: skipped";
}

TEST_F(SimJail, ServiceUsesJailConfDUnlessJailConfIncludesIt) {
  h.Run({"sysrc", "jail_enable=YES"});
  h.Write("/etc/jail.conf", "");
  h.Write("/etc/jail.conf.d/j1.conf", kJailConf);
  EXPECT_EQ(h.Run({"service", "jail", "start", "j1"}).out, "Starting jails: j1.\n");
}

TEST_F(SimJail, ServiceReportsAFailure) {
  h.Run({"sysrc", "jail_enable=YES"});
  std::filesystem::remove_all(h.Real("/jails/j1"));
  RunResult r = h.Run({"service", "jail", "start", "j1"});
  EXPECT_EQ(r.out,
            "Starting jails: cannot start jail \"j1\": \njail: j1: path /jails/j1: No such file or "
            "directory\n.\n");
}

// --- a jail's commands (§2.2, §2.3) -----------------------------------------

// A jail whose every host command appends its name to a log; exec.created
// checks that the jail exists by then, with FreeBSD's jls at its path.
class SimJailCommands : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(h.Real("/jails/c/tmp"));
    std::filesystem::create_directories(h.Real("/jails/c/bin"));
    std::filesystem::create_directories(h.Real("/jails/c/etc"));
    h.Write("/jails/c/bin/sh", "ELF FreeBSD sh (test)\n");
    h.Write("/jails/c/etc/rc", "#!/bin/sh\n");
  }
  void WriteConf(const std::string& extra) {
    std::string log = h.state() + "/log";
    std::string conf =
        "c {\n  path = /jails/c;\n  persist;\n  ip4.addr = \"em0|10.0.0.20\";\n"
        "  mount += \"tmpfs $path/tmp tmpfs rw 0 0\";\n"
        "  exec.start = \"/bin/sh /etc/rc\";\n";
    for (const char* p : {"exec.prepare", "exec.prestart", "exec.created", "exec.poststart",
                          "exec.prestop", "exec.poststop", "exec.release"}) {
      conf += std::string("  ") + p + " += \"echo " + p + " >> " + log + "\";\n";
    }
    conf += "  exec.created += \"/usr/sbin/jls -j $name >/dev/null && echo jail-exists >> " + log +
            "\";\n" + extra + "}\n";
    h.Write("/etc/jail.conf", conf);
  }
  std::string Log() {
    std::string log = h.state() + "/log";
    std::ifstream in(log);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::filesystem::remove(log);
    return text;
  }
  SimHost h;
};

TEST_F(SimJailCommands, RunInJail8sOrder) {
  WriteConf("");
  RunResult r = h.Run({"jail", "-c", "c"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "c: created\n");
  EXPECT_EQ(Log(), "exec.prepare\nexec.prestart\nexec.created\njail-exists\nexec.poststart\n");
  r = h.Run({"jail", "-r", "c"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Log(), "exec.prestop\nexec.poststop\nexec.release\n");
}

TEST_F(SimJailCommands, AFailedCommandUndoesTheStartWithoutRunningCommands) {
  WriteConf("  exec.created += \"test 1 = 2\";\n");
  ExpectFails(h.Run({"jail", "-c", "c"}), 1, "jail: c: test 1 = 2: failed\n");
  // Backwards from the failure: the jail removed, the mount and the address
  // undone; exec.poststop and exec.release are not run.
  EXPECT_EQ(Log(), "exec.prepare\nexec.prestart\nexec.created\njail-exists\n");
  EXPECT_EQ(h.Run({"jls", "-j", "c"}).exit_code, 1);
  EXPECT_EQ(h.Run({"mount", "-p"}).out, "zroot/ROOT/default\t/\tzfs\trw\t0 0\n");
  EXPECT_EQ(h.Run({"ifconfig", "em0"}).out.find("10.0.0.20"), std::string::npos);
}

TEST_F(SimJailCommands, AFailedPrestopKeepsTheJailRunning) {
  WriteConf("  exec.prestop += \"false\";\n");
  ASSERT_EQ(h.Run({"jail", "-c", "c"}).exit_code, 0);
  Log();
  ExpectFails(h.Run({"jail", "-r", "c"}), 1, "jail: c: false: failed\n");
  EXPECT_EQ(Log(), "exec.prestop\n");
  EXPECT_EQ(h.Run({"jls", "-j", "c", "name"}).out, "c\n");
}

TEST_F(SimJailCommands, OnlySimulatedProgramsAreAtFreeBSDsPaths) {
  // /sbin/ip is this machine's, not FreeBSD's: not found, as on FreeBSD.
  WriteConf("  exec.prestart += \"/sbin/ip link\";\n");
  RunResult r = h.Run({"jail", "-c", "c"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("jail: c: /sbin/ip link: failed"), std::string::npos) << r.err;
}

TEST_F(SimJailCommands, TheRcScriptMustBeInTheJail) {
  WriteConf("");
  std::filesystem::remove(h.Real("/jails/c/etc/rc"));
  ExpectFails(h.Run({"jail", "-c", "c"}), 1,
              "/bin/sh: cannot open /etc/rc: No such file or directory\n"
              "jail: c: /bin/sh /etc/rc: failed\n");
  EXPECT_EQ(h.Run({"jls", "-j", "c"}).exit_code, 1);
}

// --- ifconfig (if_bridge(4), epair(4)) --------------------------------------

TEST(SimIfconfig, ClonesPrintTheirNames) {
  SimHost h;
  EXPECT_EQ(h.Run({"ifconfig", "epair", "create"}).out, "epair0a\n");
  EXPECT_EQ(h.Run({"ifconfig", "epair", "create", "up"}).out, "epair1a\n");
  EXPECT_EQ(h.Run({"ifconfig", "bridge", "create", "name", "br", "descr", "mine", "up"}).out,
            "br\n");
  EXPECT_NE(h.Run({"ifconfig", "br"}).out.find("\tdescription: mine\n"), std::string::npos);
  ExpectFails(h.Run({"ifconfig", "epair0", "create"}), 1,
              "ifconfig: SIOCIFCREATE2 (epair0): File exists\n");
  ExpectFails(h.Run({"ifconfig", "nope0"}), 1, "ifconfig: interface nope0 does not exist\n");
}

TEST(SimIfconfig, BridgeMembersAndDestroyingAPair) {
  SimHost h;
  h.Run({"ifconfig", "bridge", "create", "name", "br"});
  h.Run({"ifconfig", "epair7", "create"});
  EXPECT_EQ(h.Run({"ifconfig", "br", "addm", "epair7a"}).exit_code, 0);
  ExpectFails(h.Run({"ifconfig", "br", "addm", "epair7a"}), 1,
              "ifconfig: BRDGADD epair7a: File exists\n");
  ExpectFails(h.Run({"ifconfig", "br", "addm", "epair8a"}), 1,
              "ifconfig: BRDGADD epair8a: No such file or directory\n");
  EXPECT_NE(h.Run({"ifconfig", "br"}).out.find("\tmember: epair7a "), std::string::npos);
  // Destroying one end destroys the pair and leaves the bridge.
  EXPECT_EQ(h.Run({"ifconfig", "epair7b", "destroy"}).exit_code, 0);
  EXPECT_EQ(h.Run({"ifconfig", "epair7a"}).exit_code, 1);
  EXPECT_EQ(h.Run({"ifconfig", "br"}).out.find("member:"), std::string::npos);
  ExpectFails(h.Run({"ifconfig", "br", "frobnicate"}), 1,
              "ifconfig: br: 'frobnicate' is not simulated\n");
}

TEST_F(SimJail, ShortMountLine) {
  h.Write("/etc/jail.conf", "j1 { path = /jails/j1; mount = \"tmpfs /x\"; }\n");
  ExpectFails(h.Run({"jail", "-c", "j1"}), 1, "jail: j1: mount: tmpfs /x: missing information\n");
}

TEST_F(SimJail, LinuxParametersNeedTheModule) {
  h.Write("/etc/jail.conf", "j1 { path = /jails/j1; linux.osrelease = 5.15.0; persist; }\n");
  ExpectFails(h.Run({"jail", "-c", "j1"}), 1, "jail: j1: unknown parameter: linux.osrelease\n");
  h.Run({"kldload", "linux64"});
  EXPECT_EQ(h.Run({"jail", "-c", "j1"}).exit_code, 0);
}

TEST_F(SimJail, JexecOfAMissingJail) {
  ExpectFails(h.Run({"jexec", "nope", "id"}), 1, "jexec: jail \"nope\" not found\n");
}

// --- modules, sysctl, rc.conf (§3.3, §9) -----------------------------------

TEST(SimKernel, ModuleNamesAreNotFileNames) {
  SimHost h;
  EXPECT_EQ(h.Run({"kldload", "linux64"}).exit_code, 0);
  EXPECT_EQ(h.Run({"kldstat", "-q", "-m", "linux64elf"}).exit_code, 0);
  EXPECT_EQ(h.Run({"kldstat", "-q", "-m", "linux_common"}).exit_code, 0)
      << "loaded as a dependency";
  ExpectFails(h.Run({"kldstat", "-m", "linux64"}), 1,
              "kldstat: can't find module linux64: No such file or directory\n");
  EXPECT_EQ(h.Run({"kldstat", "-q", "-n", "linux64.ko"}).exit_code, 0);
}

TEST(SimKernel, LoadingTwiceFails) {
  SimHost h;
  h.Run({"kldload", "tmpfs"});
  ExpectFails(h.Run({"kldload", "tmpfs"}), 1,
              "kldload: can't load tmpfs: module already loaded or in kernel\n");
  EXPECT_EQ(h.Run({"kldload", "-n", "tmpfs"}).exit_code, 0);
  ExpectFails(h.Run({"kldload", "nosuch"}), 1,
              "kldload: can't load nosuch: No such file or directory\n");
}

TEST(SimKernel, LinuxSysctlsAppearWithTheModule) {
  SimHost h;
  ExpectFails(h.Run({"sysctl", "-n", "compat.linux.osrelease"}), 1,
              "sysctl: unknown oid 'compat.linux.osrelease'\n");
  h.Run({"kldload", "linux64"});
  EXPECT_EQ(h.Run({"sysctl", "-n", "compat.linux.osrelease"}).out, "5.15.0\n");
  EXPECT_EQ(h.Run({"sysctl", "-n", "kern.features.linux64"}).out, "1\n");
}

TEST(SimRcConf, SysrcReadsDefaultsAndEditsRcConf) {
  SimHost h;
  EXPECT_EQ(h.Run({"sysrc", "-n", "linux_enable"}).out, "NO\n");
  EXPECT_EQ(h.Run({"sysrc", "linux_enable=YES"}).out, "linux_enable: NO -> YES\n");
  EXPECT_EQ(h.Run({"sysrc", "-n", "linux_enable"}).out, "YES\n");
  EXPECT_NE(h.Read("/etc/rc.conf").find("linux_enable=\"YES\"\n"), std::string::npos);
  EXPECT_EQ(h.Run({"sysrc", "mine=1"}).out, "mine:  -> 1\n");
  ExpectFails(h.Run({"sysrc", "-n", "nope"}), 1, "sysrc: unknown variable 'nope'\n");
}

// --- fetch, sha256, freebsd-update, chflags (§7) ---------------------------

TEST(SimFiles, FetchServesFileUrlsAndResumes) {
  SimHost h;
  h.Write("/mirror/base.txz", "0123456789");
  h.Write("/tmp/base.txz", "01234");
  EXPECT_EQ(h.Run({"fetch", "-r", "-o", "/tmp/base.txz", "file:///mirror/base.txz"}).exit_code, 0);
  EXPECT_EQ(h.Read("/tmp/base.txz"), "0123456789");
  ExpectFails(h.Run({"fetch", "-o", "/tmp/x", "https://download.freebsd.org/x"}), 1,
              "fetch: https://download.freebsd.org/x: No address record\n");
}

TEST(SimFiles, Sha256) {
  SimHost h;
  h.Write("/f", "abc");
  EXPECT_EQ(h.Run({"sha256", "-q", "/f"}).out,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n");
  ExpectFails(h.Run({"sha256", "-q", "/nope"}), 1, "sha256: /nope: No such file or directory\n");
}

TEST(SimFiles, FreebsdUpdateRefusesCronlessFetch) {
  SimHost h;
  std::filesystem::create_directories(h.Real("/t"));
  ExpectFails(h.Run({"freebsd-update", "-b", "/t", "fetch"}), 1,
              "freebsd-update fetch should not be run non-interactively.\nRun freebsd-update cron "
              "instead.\n");
}

TEST(SimFiles, FreebsdUpdateInstallWithNothingFetched) {
  SimHost h;
  std::filesystem::create_directories(h.Real("/t"));
  RunResult r = h.Run({"freebsd-update", "-b", "/t", "install"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(h.Run({"freebsd-update", "-b", "/t", "--not-running-from-cron", "fetch", "install"})
                .exit_code,
            0);
}

TEST(SimFiles, FreebsdUpdateNeedsAReleaseName) {
  SimHost h;
  std::filesystem::create_directories(h.Real("/t"));
  RunResult r = h.Run({"freebsd-update", "-b", "/t", "--currently-running", "15.0-CURRENT",
                       "--not-running-from-cron", "fetch"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err.substr(0, 51), "Cannot upgrade from a version that is not a release");
}

TEST(SimFiles, Chflags) {
  SimHost h;
  EXPECT_EQ(h.Run({"chflags", "-R", "noschg", "/etc"}).exit_code, 0);
  ExpectFails(h.Run({"chflags", "bogus", "/etc"}), 1, "chflags: invalid flag: bogus\n");
  ExpectFails(h.Run({"chflags", "-R", "0", "/nope"}), 1,
              "chflags: /nope: No such file or directory\n");
}

// --- pkg (§7) ------------------------------------------------------------

// A host with tests/freebsd-sim/prepare's FreeBSD-base repository for
// 15.0-RELEASE, a repository file for it in /etc/ljail-pkg and an empty
// tree /t: what `ljail release fetch --pkgbase` runs pkg on.
class SimPkg : public ::testing::Test {
 protected:
  void SetUp() override {
    RunResult r = testing::RunProgram(
        LJAIL_SIM_PREPARE, {"--state", h.state(), "--no-init", "--pkgbase", "15.0-RELEASE"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    WriteRepo("file:///mirror/pkgbase/FreeBSD:15:amd64/base_release_0");
    std::filesystem::create_directories(h.Real("/t"));
  }
  void WriteRepo(const std::string& url) {
    h.Write("/etc/ljail-pkg/FreeBSD-base.conf",
            "FreeBSD-base: {\n  url: \"" + url +
                "\",\n  signature_type: \"fingerprints\",\n"
                "  fingerprints: \"/usr/share/keys/pkgbase-15\",\n  enabled: yes\n}\n");
  }
  RunResult Pkg(std::vector<std::string> args) const {
    std::vector<std::string> full = {"pkg", "-R", "/etc/ljail-pkg", "--rootdir", "/t"};
    full.insert(full.end(), args.begin(), args.end());
    return h.Run(full);
  }
  static constexpr const char* kRepo = "/mirror/pkgbase/FreeBSD:15:amd64/base_release_0";
  SimHost h;
};

TEST_F(SimPkg, InstallsTheSetWithItsDependenciesOnlyWhenEverythingIsSaid) {
  const std::vector<std::string> abi = {"-o", "ABI=FreeBSD:15:amd64", "-o", "OSVERSION=1500000"};
  auto with = [&](std::vector<std::string> more) {
    std::vector<std::string> args = abi;
    args.insert(args.end(), more.begin(), more.end());
    return Pkg(args);
  };
  RunResult no_abi = Pkg({"install", "-y", "FreeBSD-set-minimal-jail"});
  EXPECT_EQ(no_abi.exit_code, 1);
  EXPECT_NE(no_abi.err.find("Unable to determine the ABI, /t/bin/sh cannot be read"),
            std::string::npos)
      << no_abi.err;
  RunResult newer = with({"install", "-y", "FreeBSD-set-minimal-jail"});
  EXPECT_EQ(newer.exit_code, 1);
  EXPECT_NE(newer.err.find("Newer FreeBSD version for package"), std::string::npos) << newer.err;
  RunResult unasked = with({"-o", "IGNORE_OSVERSION=yes", "install", "FreeBSD-set-minimal-jail"});
  EXPECT_EQ(unasked.exit_code, 1);
  EXPECT_NE(unasked.err.find("Proceed with this action? [y/N]"), std::string::npos);
  RunResult wrong = Pkg({"-o", "ABI=FreeBSD:14:amd64", "-o", "IGNORE_OSVERSION=yes", "install",
                         "-y", "FreeBSD-set-minimal-jail"});
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_NE(wrong.err.find("contains packages for wrong OS version: FreeBSD:14:amd64"),
            std::string::npos)
      << wrong.err;
  EXPECT_FALSE(std::filesystem::exists(h.Real("/t/bin/freebsd-version")));
  RunResult done = with({"-o", "IGNORE_OSVERSION=yes", "install", "-y", "-r", "FreeBSD-base",
                         "FreeBSD-set-minimal-jail"});
  ASSERT_EQ(done.exit_code, 0) << done.err;
  EXPECT_NE(h.Read("/t/bin/freebsd-version").find("\"15.0-RELEASE\""), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(h.Real("/t/etc/rc")));
  RunResult again =
      with({"-o", "IGNORE_OSVERSION=yes", "install", "-y", "FreeBSD-set-minimal-jail"});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.out.find("already installed"), std::string::npos) << again.out;
}

TEST_F(SimPkg, CatalogueMustBeSignedByATrustedKeyAndPackagesMatchIt) {
  const std::vector<std::string> install = {
      "-o", "ABI=FreeBSD:15:amd64",    "-o", "IGNORE_OSVERSION=yes", "install",
      "-y", "FreeBSD-set-minimal-jail"};
  std::string key = h.Read("/usr/share/keys/pkgbase-15/trusted/sim.pub");
  std::filesystem::create_directories(h.Real("/usr/share/keys/pkgbase-15/revoked"));
  h.Write("/usr/share/keys/pkgbase-15/revoked/sim.pub", key);
  RunResult revoked = Pkg(install);
  EXPECT_EQ(revoked.exit_code, 1);
  EXPECT_NE(revoked.err.find("pkg: No trusted public keys found"), std::string::npos);
  std::filesystem::remove(h.Real("/usr/share/keys/pkgbase-15/revoked/sim.pub"));
  std::string site = h.Read(std::string(kRepo) + "/packagesite.yaml");
  h.Write(std::string(kRepo) + "/packagesite.yaml", site + "\n");
  RunResult altered = Pkg(install);
  EXPECT_EQ(altered.exit_code, 1);
  EXPECT_NE(altered.err.find("pkg: Invalid signature"), std::string::npos) << altered.err;
  h.Write(std::string(kRepo) + "/packagesite.yaml", site);
  h.Write(std::string(kRepo) + "/All/FreeBSD-rc-15.0.pkg", "{}");
  RunResult swapped = Pkg(install);
  EXPECT_EQ(swapped.exit_code, 1);
  EXPECT_NE(swapped.err.find("FreeBSD-rc-15.0: checksum mismatch"), std::string::npos)
      << swapped.err;
  WriteRepo("pkg+https://pkg.FreeBSD.org/FreeBSD:15:amd64/base_release_0");
  RunResult remote = Pkg(install);
  EXPECT_EQ(remote.exit_code, 1);
  EXPECT_NE(remote.err.find("No address record"), std::string::npos)
      << "the simulated host has no network: " << remote.err;
}

}  // namespace
}  // namespace ljail
