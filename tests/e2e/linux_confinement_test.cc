// A Linux-host jail confines its root as a FreeBSD jail does (issue 12),
// for real: each attack runs from inside a jail, as root or as a user, and
// must fail; what a FreeBSD jail's root may still do must still work.
#include <gtest/gtest.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <utility>
#include <vector>

#include "e2e/linux_host.h"

namespace ljail::testing {
namespace {

class LinuxConfinement : public LinuxHostTest {
 protected:
  void SetUp() override {
    LinuxHostTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ImportTemplate();
    CreateJail("cell");
    ASSERT_EQ(Ljail({"start", "cell"}).exit_code, 0);
  }
  // `ljail exec cell [-u USER] -- sh -c SCRIPT`, whatever its status.
  RunResult Sh(const std::string& script, const std::string& user = "") const {
    std::vector<std::string> args = {"exec", "cell"};
    if (!user.empty()) args.insert(args.end(), {"-u", user});
    args.insert(args.end(), {"--", "sh", "-c", script});
    return Ljail(args);
  }
  // A file on the host, outside the jail's tree, that no jail may read.
  std::string HostSecret() {
    std::string path = Real("/host-secret");
    std::ofstream(path) << "the host's secret\n";
    return path;
  }
};

// CapBnd of /proc/self/status inside, as a number.
uint64_t BoundingSet(const std::string& status) {
  std::istringstream in(status);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("CapBnd:", 0) == 0) return std::stoull(line.substr(7), nullptr, 16);
  }
  return ~uint64_t{0};
}

TEST_F(LinuxConfinement, TheHostsFilesAreOutOfReach) {
  const std::string secret = HostSecret();
  // The keeper's root and /proc/1/root are the tree, not the host's "/".
  RunResult via_proc =
      Sh("cat /proc/1/root" + secret + "; ls /proc/1/root/ >/dev/null && echo listed");
  EXPECT_EQ(via_proc.out.find("the host's secret"), std::string::npos) << via_proc.out;
  EXPECT_EQ(via_proc.out.find("listed"), std::string::npos)
      << "PID 1 is not dumpable: its /proc entries are closed to the jail";
  // The classic chroot escape lands at the tree's root, not the host's.
  RunResult escape =
      Ljail({"exec", "cell", "--", "perl", "-e",
             "mkdir '/tmp/x'; chroot '/tmp/x' or die \"chroot: $!\\n\"; chdir '..' for 1 .. 64; "
             "chroot '.'; if (open my $f, '<', '" +
                 secret + "') { print <$f> } else { print \"no: $!\\n\" }"});
  EXPECT_EQ(escape.out.find("the host's secret"), std::string::npos) << escape.out << escape.err;
  EXPECT_NE(escape.out.find("no: No such file"), std::string::npos) << escape.out << escape.err;
  // Only its own processes are visible, and none of them has a way out.
  RunResult roots = Sh("for p in /proc/[0-9]*; do readlink $p/root; done | sort -u");
  EXPECT_EQ(roots.out.find(root_->path()), std::string::npos) << roots.out;
}

TEST_F(LinuxConfinement, RootHasAFreeBSDJailsCapabilities) {
  uint64_t bounding = BoundingSet(Sh("cat /proc/self/status").out);
  for (int dropped : {21 /*SYS_ADMIN*/,
                      16 /*SYS_MODULE*/,
                      17 /*SYS_RAWIO*/,
                      25 /*SYS_TIME*/,
                      22 /*SYS_BOOT*/,
                      19 /*SYS_PTRACE*/,
                      2 /*DAC_READ_SEARCH*/,
                      27 /*MKNOD*/,
                      32 /*MAC_OVERRIDE*/,
                      33 /*MAC_ADMIN*/,
                      34 /*SYSLOG*/,
                      30 /*AUDIT_CONTROL*/,
                      37 /*AUDIT_READ*/,
                      39 /*BPF*/,
                      38 /*PERFMON*/,
                      20 /*SYS_PACCT*/,
                      9 /*LINUX_IMMUTABLE*/,
                      35 /*WAKE_ALARM*/,
                      36 /*BLOCK_SUSPEND*/,
                      12 /*NET_ADMIN*/,
                      13 /*NET_RAW*/}) {
    EXPECT_EQ(bounding & (uint64_t{1} << dropped), 0u) << "capability " << dropped;
  }
  for (int kept : {0 /*CHOWN*/, 1 /*DAC_OVERRIDE*/, 3 /*FOWNER*/, 5 /*KILL*/, 6 /*SETGID*/,
                   7 /*SETUID*/, 10 /*NET_BIND_SERVICE*/, 18 /*SYS_CHROOT*/}) {
    EXPECT_NE(bounding & (uint64_t{1} << kept), 0u) << "capability " << kept;
  }
  // The keeper holds no more than the jail's root.
  pid_t keeper = KeeperPid("cell");
  ASSERT_GT(keeper, 0);
  std::ifstream status("/proc/" + std::to_string(keeper) + "/status");
  std::stringstream text;
  text << status.rdbuf();
  EXPECT_EQ(BoundingSet(text.str()) & (uint64_t{1} << 21), 0u) << "keeper without SYS_ADMIN";
  // And doctor says so.
  RunResult doctor = Ljail({"doctor", "cell", "--json"});
  EXPECT_NE(doctor.out.find("\"root inside holds none of the 21 capabilities"), std::string::npos)
      << doctor.out;
}

TEST_F(LinuxConfinement, RootCannotMountMakeDevicesOrTouchTheKernel) {
  EXPECT_NE(Sh("mount -t tmpfs none /mnt").exit_code, 0);
  EXPECT_NE(Sh("mount -o remount,rw /sys").exit_code, 0);
  EXPECT_NE(Sh("mknod /tmp/mem c 1 1").exit_code, 0);
  RunResult sysctl = Sh("echo 1 > /proc/sys/vm/drop_caches");
  EXPECT_NE(sysctl.exit_code, 0);
  EXPECT_NE(sysctl.err.find("Read-only file system"), std::string::npos) << sysctl.err;
  RunResult sys = Sh("grep ' /sys sysfs ' /proc/mounts");
  EXPECT_NE(sys.out.find(" /sys sysfs ro,"), std::string::npos) << "sysfs read-only: " << sys.out;
  EXPECT_EQ(Sh("cat /proc/kallsyms /proc/keys | wc -c").out, "0\n") << "kernel views masked";
  // PID 1, the keeper, cannot be traced (PTRACE_ATTACH = 16).
  RunResult trace =
      Ljail({"exec", "cell", "--", "perl", "-e",
             "syscall(101, 16, 1, 0, 0) == 0 and print \"attached\\n\"; print \"$!\\n\""});
  EXPECT_EQ(trace.out.find("attached"), std::string::npos) << trace.out;
}

TEST_F(LinuxConfinement, EnteringHandsOverNoDescriptorKeyringOrTerminal) {
  // A descriptor of the caller's (here fd 5, the host's "/") stays outside.
  RunResult fds =
      RunProgram("/bin/sh", {"-c", "exec 5</; exec " + std::string(LJAIL_BINARY) + " --root " +
                                       root_->path() + " exec cell -u nobody -- ls /proc/self/fd"});
  EXPECT_EQ(fds.out, "0\n1\n2\n3\n") << "0-2 and ls's own directory: " << fds.out << fds.err;

  // No keyring of the host's: keyctl is refused (seccomp; keyrings are not
  // per jail), and the session keyring is a new one anyway.
  RunResult keys = Ljail({"exec", "cell", "-u", "nobody", "--", "perl", "-e",
                          "my $r = syscall(250, 0, -3, 1); print \"$r $!\\n\""});
  EXPECT_EQ(keys.out, "-1 Operation not permitted\n") << keys.err;

  // No controlling terminal without a terminal, and with one only its own:
  // TIOCSTI (0x5412) into what it was given cannot type into the caller's
  // shell. The caller's terminal is script(1)'s; after ljail, the shell
  // reads a line from it: with the attack working, the injected one.
  const std::string inject =
      std::string(LJAIL_BINARY) + " --root " + root_->path() +
      " exec cell -u nobody -- perl -e 'ioctl(STDOUT, 0x5412, $_) for split //, \"pwned\\n\"' "
      "</dev/null; read -t 2 line; echo \"read [$line]\"";
  RunResult tty = RunProgram("/usr/bin/script", {"-qec", inject, "/dev/null"});
  EXPECT_NE(tty.out.find("read []"), std::string::npos) << tty.out;
  EXPECT_EQ(Sh("tty", "nobody").out, "not a tty\n");
}

// The seccomp filter: no user namespace (where any user would get every
// capability back), no mount API, no BPF, no kernel keyrings; programs that
// use clone3 fall back to clone.
TEST_F(LinuxConfinement, TheFilterRefusesWhatReachesTheWholeHost) {
  for (const std::string user : {"", "nobody"}) {
    RunResult userns = Sh("unshare --user --map-root-user true", user);
    EXPECT_NE(userns.exit_code, 0) << user << ": " << userns.out;
    EXPECT_NE(userns.err.find("Operation not permitted"), std::string::npos) << userns.err;
  }
  // bpf = 321, fsopen = 430, userfaultfd = 323 on x86_64: EPERM, not ENOSYS or EINVAL.
  RunResult calls = Ljail({"exec", "cell", "--", "perl", "-e",
                           "for (321, 430, 323) { syscall($_, 0, 0, 0); print $! + 0, \"\\n\" }"});
  EXPECT_EQ(calls.out, "1\n1\n1\n") << calls.err;
  EXPECT_EQ(Sh("sh -c 'echo child' & wait").out, "child\n") << "fork and exec still work";
}

// A read-only share stays read-only: jail root cannot remount it, and the
// host directory behind it is unchanged.
TEST_F(LinuxConfinement, AReadOnlyShareIsLocked) {
  std::filesystem::create_directories(Real("/srv/data"));
  std::ofstream(Real("/srv/data/file")) << "host data\n";
  CreateJail("reader", {"--share", "/srv/data:/data:ro"});
  ASSERT_EQ(Ljail({"start", "reader"}).exit_code, 0);
  const std::string attack =
      "mount -o remount,rw /data; mount -o remount,bind,rw /data; echo changed > /data/file";
  RunResult write = Ljail({"exec", "reader", "--", "sh", "-c", attack});
  EXPECT_NE(write.exit_code, 0);
  std::ifstream in(Real("/srv/data/file"));
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "host data");
  EXPECT_NE(Exec("reader", {"grep", " /data ", "/proc/mounts"}).find(" ro,"), std::string::npos);
}

// Whatever jail root makes of /etc/passwd — a link to a host file, a device
// that never ends, a FIFO, a huge file — `exec` reads it inside the tree,
// as a regular file of at most 16 MiB: no host data, no hang, no flood.
// What the tree's passwd says is data: a terminal escape in a name is shown
// escaped, a home with shell syntax is quoted in the fix doctor prints, and
// bytes that are not UTF-8 do not break --json.
TEST_F(LinuxConfinement, TreeStringsArePrintedAsData) {
  ASSERT_EQ(Sh("mkdir '/tmp/q;touch X;#' && printf 'evil\\033[2J:x:1001:1001::/tmp/q;touch "
               "X;#:/bin/sh\\nbad\\377:x:1002:1002::/:/bin/sh\\n' >> /etc/passwd")
                .exit_code,
            0);
  RunResult users = Ljail({"user", "list", "cell"});
  EXPECT_EQ(users.exit_code, 0) << users.err;
  EXPECT_NE(users.out.find("evil\\x1b[2J"), std::string::npos) << users.out;
  EXPECT_EQ(users.out.find('\033'), std::string::npos) << "no raw escape reaches the terminal";
  EXPECT_EQ(Ljail({"user", "list", "cell", "--json"}).exit_code, 0);
  RunResult doctor = Ljail({"doctor", "cell"});
  EXPECT_NE(doctor.out.find("fix: ljail exec cell -- chown -R 1001:1001 '/tmp/q;touch X;#'"),
            std::string::npos)
      << doctor.out;
  EXPECT_EQ(doctor.out.find('\033'), std::string::npos);
  RunResult json = Ljail({"doctor", "cell", "--json"});
  EXPECT_FALSE(nlohmann::json::parse(json.out, nullptr, false).is_discarded()) << json.err;
}

// doctor reads a running jail's confinement through the tree's own `cat`,
// which root inside can replace: an answer that is not proc(5)'s must
// neither crash doctor nor read as confined, and is printed as data.
TEST_F(LinuxConfinement, ALyingCatCannotTalkDoctorIntoConfined) {
  ASSERT_EQ(Sh("printf '#!/bin/sh\\necho \"CapBnd:\\tzz\\033[2J\"\\n' > /usr/bin/cat").exit_code,
            0);
  RunResult doctor = Ljail({"doctor", "cell"});
  EXPECT_EQ(doctor.exit_code, 1) << doctor.out << doctor.err;
  EXPECT_NE(doctor.out.find("root inside still holds"), std::string::npos) << doctor.out;
  EXPECT_NE(doctor.out.find("uid map \"CapBnd:\\x09zz\\x1b[2J\""), std::string::npos) << doctor.out;
  EXPECT_EQ(doctor.out.find('\033'), std::string::npos) << "no raw escape reaches the terminal";
}

TEST_F(LinuxConfinement, AHostilePasswdNeitherLeaksStallsNorFloods) {
  const std::string secret = HostSecret();
  std::ofstream(secret, std::ios::app) << "intruder:x:0:0::/:/bin/sh\n";
  const std::vector<std::pair<std::string, std::string>> plants = {
      {"link", "ln -sf " + secret + " /etc/passwd"},
      {"zero", "ln -sf /dev/zero /etc/passwd"},
      {"fifo", "rm /etc/passwd && mkfifo /etc/passwd"},
      {"huge",
       "{ head -c 17000000 /dev/zero | tr '\\0' x; echo; echo 'intruder:x:0:0::/:/bin/sh'; } "
       ">> /etc/passwd"}};
  for (const auto& [name, plant] : plants) {
    CreateJail(name);
    ASSERT_EQ(Ljail({"start", name}).exit_code, 0);
    ASSERT_EQ(Ljail({"exec", name, "--", "sh", "-c", plant}).exit_code, 0) << name;
    RunResult r = Ljail({"exec", name, "-u", "intruder", "--", "id"});
    EXPECT_NE(r.exit_code, 0) << name;
    EXPECT_EQ(r.out.find("intruder"), std::string::npos) << name << ": " << r.out;
    // Nor the verbs that read the tree's accounts (through the tree API,
    // from the host: no `cat` of the tree's to hang on a FIFO or to flood).
    RunResult users = Ljail({"user", "list", name});
    EXPECT_EQ(users.out.find("intruder"), std::string::npos) << name << ": " << users.out;
    RunResult add = Ljail({"user", "add", name, "bob"});
    if (name == "link") {
      EXPECT_EQ(users.exit_code, 0) << "the link leads nowhere inside the tree: " << users.err;
    } else {
      EXPECT_EQ(users.exit_code, 1) << name << ": " << users.err;
      EXPECT_NE(users.err.find("/etc/passwd"), std::string::npos) << name << ": " << users.err;
      EXPECT_EQ(add.exit_code, 1) << name << ": " << add.err;
    }
    RunResult doctor = Ljail({"doctor", name});
    EXPECT_EQ(doctor.out.find("intruder"), std::string::npos) << name;
    ASSERT_EQ(Ljail({"stop", name}).exit_code, 0);
    // Stopped, the tree is read at rest from the host: the same answers.
    RunResult resting = Ljail({"user", "list", name});
    EXPECT_EQ(resting.out.find("intruder"), std::string::npos) << name << ": " << resting.out;
    EXPECT_EQ(resting.exit_code, name == "link" ? 0 : 1) << name << ": " << resting.err;
  }
}

// Jail root makes its /etc a link to a host directory; the jail's file is
// then lost and the same create is run again over the storage left: ljail
// writes hostname, hosts and resolv.conf inside the tree or not at all,
// never into the host directory (issue 13).
TEST_F(LinuxConfinement, ARecreateNeverWritesThroughAPlantedLink) {
  const std::string host_dir = Real("/host-etc");
  std::filesystem::create_directories(host_dir);
  ASSERT_EQ(Sh("cp -a /etc /etc.real && rm -rf /etc && ln -s " + host_dir + " /etc").exit_code, 0);
  ASSERT_EQ(Ljail({"stop", "cell"}).exit_code, 0);
  std::filesystem::remove(Real("/etc/jail.conf.d/cell.conf"));
  RunResult again = Ljail({"create", "cell", "--template", template_});
  EXPECT_NE(again.exit_code, 0) << again.out;
  EXPECT_NE(again.err.find("/etc/hostname"), std::string::npos) << again.err;
  EXPECT_TRUE(std::filesystem::is_empty(host_dir)) << "written through the jail's link";
  std::filesystem::remove_all(Real("/var/lib/ljail/jails/containers/cell"));  // no file to destroy
}

// What a FreeBSD jail's root may do, it still may.
TEST_F(LinuxConfinement, RootStillOwnsItsJail) {
  RunResult root =
      Sh("set -e; chown nobody /tmp && chown root /tmp; useradd -M probe && userdel probe; "
         "chroot / /bin/true; "
         "kill -0 1 2>/dev/null || true; echo done");
  EXPECT_EQ(root.out, "done\n") << root.err;
  EXPECT_EQ(Sh("su -s /bin/sh nobody -c 'id -un'").out, "nobody\n");
}

}  // namespace
}  // namespace ljail::testing
