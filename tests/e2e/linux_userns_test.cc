// A Linux-host jail with a user namespace of its own (`create --userns`,
// issue 12 item 7), for real: root inside is a host id of the jail's range,
// the tree and its shares keep their on-disk ids, shared homes still work,
// and what a FreeBSD jail's root may do still works.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "e2e/linux_host.h"

namespace ljail::testing {
namespace {

namespace fs = std::filesystem;

// ljail's first range (runtime/linux/user_namespace.h), written out: the
// test must fail if the code picks another.
constexpr unsigned long kFirstBase = 0x70000000UL;

class LinuxUserns : public LinuxHostTest {
 protected:
  RunResult Sh(const std::string& jail, const std::string& script,
               const std::string& user = "") const {
    std::vector<std::string> args = {"exec", jail};
    if (!user.empty()) args.insert(args.end(), {"-u", user});
    args.insert(args.end(), {"--", "sh", "-c", script});
    return Ljail(args);
  }
  // The Uid: line of a host process's status: real, effective, saved, fs.
  static std::string HostUids(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("Uid:", 0) == 0) return line.substr(4);
    }
    return "";
  }
  static uid_t OwnerOnDisk(const std::string& path) {
    struct stat st {};
    EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
    return st.st_uid;
  }
};

TEST_F(LinuxUserns, RootInsideIsAHostIdOfTheJailsOwnAndTheTreeKeepsItsIds) {
  ImportTemplate();
  fs::create_directories(Real("/srv/alice"));
  ASSERT_EQ(::chown(Real("/srv/alice").c_str(), 1000, 1000), 0);
  CreateJail("ns", {"--userns", "--user", "alice", "--share", "/srv/alice:/srv/alice"});
  ASSERT_EQ(Ljail({"start", "ns"}).exit_code, 0);
  const std::string base = std::to_string(kFirstBase);

  // Its file says so, with the first free range, and the kernel agrees.
  std::ifstream conf(Real("/etc/jail.conf.d/ns.conf"));
  std::stringstream text;
  text << conf.rdbuf();
  EXPECT_NE(text.str().find("$ljail_userns = " + base + ";"), std::string::npos) << text.str();
  EXPECT_EQ(Sh("ns", "cat /proc/self/uid_map /proc/self/gid_map | tr -s ' '").out,
            " 0 " + base + " 65536\n 0 " + base + " 65536\n");
  EXPECT_EQ(Exec("ns", {"id", "-u"}), "0\n");
  // The keeper is the jail's root: on the host, no uid 0 at all.
  pid_t keeper = KeeperPid("ns");
  ASSERT_GT(keeper, 0);
  EXPECT_EQ(HostUids(keeper), "\t" + base + "\t" + base + "\t" + base + "\t" + base);

  // Root inside owns the tree as before: it writes anywhere, and what it
  // writes is owned by 0 on disk, as without a user namespace.
  EXPECT_EQ(Exec("ns", {"stat", "-c", "%u:%g %U", "/etc/passwd", "/root"}), "0:0 root\n0:0 root\n");
  Exec("ns", {"sh", "-c", "echo made > /root/by-root && chown alice /root/by-root"});
  const std::string upper = Real("/var/lib/ljail/jails/containers/ns/upper");
  EXPECT_EQ(OwnerOnDisk(upper + "/root/by-root"), 1000u) << "alice inside is 1000 on disk";
  EXPECT_EQ(OwnerOnDisk(upper + "/root"), 0u);

  // A shared home: alice inside is alice of the host's files.
  EXPECT_EQ(Exec("ns", {"stat", "-c", "%U", "/srv/alice"}), "alice\n");
  Exec("ns", {"sh", "-c", "echo hi > /srv/alice/note"}, "alice");
  EXPECT_EQ(OwnerOnDisk(Real("/srv/alice/note")), 1000u);
  // Host files of ids the namespace does not map are nobody's inside.
  std::ofstream(Real("/srv/alice/foreign")) << "x\n";
  ASSERT_EQ(::chown(Real("/srv/alice/foreign").c_str(), 70000, 70000), 0);
  EXPECT_EQ(Exec("ns", {"stat", "-c", "%u", "/srv/alice/foreign"}), "65534\n");
  EXPECT_NE(Sh("ns", "chown root /srv/alice/foreign").exit_code, 0);

  // doctor reports it.
  RunResult doctor = Ljail({"doctor", "ns", "--json"});
  EXPECT_NE(doctor.out.find("root inside is host uid " + base), std::string::npos) << doctor.out;
}

TEST_F(LinuxUserns, WhatAFreeBSDJailsRootMayNotDoStaysRefused) {
  ImportTemplate();
  fs::create_directories(Real("/srv"));
  CreateJail("ns", {"--userns", "--share", "/srv:/srv:ro"});
  std::ofstream(Real("/host-secret")) << "the host's secret\n";
  ASSERT_EQ(Ljail({"start", "ns"}).exit_code, 0);
  EXPECT_NE(Sh("ns", "mount -t tmpfs none /mnt").exit_code, 0);
  EXPECT_NE(Sh("ns", "mount -o remount,rw /srv").exit_code, 0);
  EXPECT_NE(Sh("ns", "touch /srv/x").exit_code, 0) << "a :ro share stays read-only";
  EXPECT_NE(Sh("ns", "echo 1 > /proc/sys/kernel/sysrq").exit_code, 0);
  EXPECT_NE(Sh("ns", "mknod /tmp/mem c 1 1").exit_code, 0);
  EXPECT_EQ(Sh("ns", "cat /proc/1/root" + Real("/host-secret")).out.find("secret"),
            std::string::npos);
  // No second user namespace (the seccomp filter), where root would get
  // every capability back.
  RunResult nested = Ljail({"exec", "ns", "--", "perl", "-e",
                            "syscall(272, 0x10000000) == 0 ? print qq(made\\n) : print qq($!\\n)"});
  EXPECT_EQ(nested.out, "Operation not permitted\n") << nested.err;
}

// A vnet jail with a user namespace: its network namespace is the user
// namespace's, so its root configures its own interfaces, as on FreeBSD.
TEST_F(LinuxUserns, AVnetJailsRootSetsItsOwnAddress) {
  ImportTemplate();
  CreateJail("island", {"--userns", "--vnet"});
  ASSERT_EQ(Ljail({"start", "island"}).exit_code, 0);
  RunResult own = Ljail({"exec", "island", "--", "perl", "-e", kSetOwnAddressScript});
  EXPECT_EQ(own.out, "bound\n") << own.err;
  EXPECT_EQ(Exec("island", {"ls", "/sys/class/net"}), "lo\n") << "sysfs shows its own network";
}

// A tree that is a copy (jails_dir with a blank: no overlay) is seen
// through the namespace too.
TEST_F(LinuxUserns, ACopiedTreeIsIdmappedToo) {
  fs::create_directories(Real("/usr/local/etc"));
  std::ofstream(Real("/usr/local/etc/ljail.conf")) << "jails_dir = \"/var/lib/ljail/my jails\";\n";
  ImportTemplate();
  CreateJail("copied", {"--userns"});
  RunResult start = Ljail({"start", "copied"});
  ASSERT_EQ(start.exit_code, 0) << start.err;
  EXPECT_EQ(Exec("copied", {"stat", "-c", "%U", "/etc/passwd"}), "root\n");
  Exec("copied", {"touch", "/root/by-root"});
  std::string tree;
  for (const auto& e :
       fs::recursive_directory_iterator(Real("/var/lib/ljail/my jails/containers"))) {
    if (e.path().filename() == "by-root") tree = e.path().string();
  }
  ASSERT_FALSE(tree.empty());
  EXPECT_EQ(OwnerOnDisk(tree), 0u);
}

TEST_F(LinuxUserns, OptionsItCannotHonourAreRefusedBeforeAnythingChanges) {
  ImportTemplate();
  RunResult r = Ljail({"create", "raw", "--template", template_, "--userns", "--raw-sockets"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--raw-sockets with --userns needs --vnet"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(Real("/etc/jail.conf.d/raw.conf")));
}

}  // namespace
}  // namespace ljail::testing
