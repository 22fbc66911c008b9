// The whole lifecycle on a Linux host, for real: template, create, start,
// enter as root and as a user, stop, destroy (issue 5).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/file_io.h"
#include "e2e/linux_host.h"

namespace ljail::testing {
namespace {

namespace fs = std::filesystem;

class LinuxRuntime : public LinuxHostTest {};

TEST_F(LinuxRuntime, LifecycleFromCreateToDestroy) {
  std::string t = ImportTemplate();
  CreateJail("demo");
  RunResult check = Ljail({"conf", "check", "/etc/jail.conf.d/demo.conf"});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;

  ASSERT_EQ(Ljail({"start", "demo"}).exit_code, 0);
  pid_t keeper = KeeperPid("demo");
  ASSERT_GT(keeper, 0);
  EXPECT_TRUE(ProcessAlive(keeper));
  EXPECT_EQ(Ljail({"start", "demo"}).out, "demo is running already\n");

  EXPECT_NE(Exec("demo", {"cat", "/etc/os-release"}).find("VERSION_CODENAME=bookworm"),
            std::string::npos);
  EXPECT_EQ(Exec("demo", {"id"}, "nobody"),
            "uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\n");
  EXPECT_EQ(Exec("demo", {"hostname"}), "demo\n");
  // The keeper is the jail's PID 1; the jail sees its own processes only.
  EXPECT_EQ(Exec("demo", {"cat", "/proc/1/comm"}), "ljail-keeper\n");
  // A login environment; TERM is kept as jexec -l keeps it.
  const char* term = std::getenv("TERM");
  EXPECT_EQ(Exec("demo", {"sh", "-c", "env | sort"}, "nobody"),
            "HOME=/nonexistent\nLANG=C.UTF-8\nLOGNAME=nobody\nPATH=/usr/local/bin:/usr/bin:/bin:"
            "/usr/games\nPWD=/\nSHELL=/usr/sbin/nologin\n" +
                (term && *term ? "TERM=" + std::string(term) + "\n" : std::string()) +
                "USER=nobody\n");
  // argv untouched: no shell in between.
  EXPECT_EQ(Exec("demo", {"printf", "[%s]", "a b", "$HOME", "*"}), "[a b][$HOME][*]");
  EXPECT_EQ(Ljail({"exec", "demo", "--", "sh", "-c", "exit 7"}).exit_code, 7);
  EXPECT_EQ(Ljail({"exec", "demo", "--", "sh", "-c", "kill -TERM $$"}).exit_code, 128 + SIGTERM);
  RunResult missing = Ljail({"exec", "demo", "--", "no-such-program"});
  EXPECT_EQ(missing.exit_code, 127);
  EXPECT_NE(missing.err.find("exec no-such-program: No such file or directory"), std::string::npos);
  RunResult nouser = Ljail({"exec", "demo", "-u", "alice", "--", "id"});
  EXPECT_EQ(nouser.exit_code, 2);
  EXPECT_NE(nouser.err.find("no user \"alice\""), std::string::npos);

  // Mounted inside, never in the host's table.
  std::string mounts = Exec("demo", {"cat", "/proc/mounts"});
  for (const char* m : {"devpts /dev/pts devpts", "linprocfs /proc proc", "linsysfs /sys sysfs ro",
                        "tmpfs /tmp tmpfs", "overlay / overlay"}) {
    EXPECT_NE(mounts.find(m), std::string::npos) << m << " missing in\n" << mounts;
  }
  EXPECT_EQ(HostMountsUnderRoot(), std::vector<std::string>{});

  RunResult list = Ljail({"list"});
  EXPECT_NE(list.out.find("demo           running"), std::string::npos) << list.out;

  ASSERT_EQ(Ljail({"stop", "demo"}).out, "demo stopped\n");
  EXPECT_FALSE(ProcessAlive(keeper));
  EXPECT_FALSE(fs::exists(Real("/run/ljail/demo")));
  EXPECT_EQ(Ljail({"exec", "demo", "--", "true"}).exit_code, 1);  // not running

  // A stopped jail's accounts are read at rest: nothing is started. A
  // person is added to the tree by hand (its writable layer, or the copy).
  const std::string storage = Real("/var/lib/ljail/jails/containers/demo");
  const std::string layer = fs::exists(storage + "/upper") ? storage + "/upper" : storage + "/root";
  fs::create_directories(layer + "/etc");
  fs::create_directories(layer + "/home/carol");
  ASSERT_EQ(::chown((layer + "/home/carol").c_str(), 1000, 1000), 0);
  std::string passwd;
  {
    std::ifstream in(Real("/var/lib/ljail/jails/templates/" + t + "/etc/passwd"));
    passwd.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::ofstream(layer + "/etc/passwd") << passwd << "carol:x:1000:1000::/home/carol:/bin/bash\n"
                                       << "dave:x:1001:1001::/home/dave:/bin/bash\n";
  RunResult users = Ljail({"user", "list", "demo", "--json"});
  ASSERT_EQ(users.exit_code, 0) << users.err;
  std::map<std::string, std::string> home_state;
  for (const auto& u : nlohmann::json::parse(users.out)) home_state[u["name"]] = u["home_state"];
  EXPECT_EQ(home_state, (std::map<std::string, std::string>{
                            {"root", "ok"}, {"carol", "ok"}, {"dave", "missing"}}))
      << users.out;
  EXPECT_EQ(users.err, "") << "nothing started, so nothing to say";
  EXPECT_FALSE(fs::exists(Real("/run/ljail/demo"))) << "user list left the jail running";

  RunResult destroy = Ljail({"destroy", "demo"});
  ASSERT_EQ(destroy.exit_code, 0) << destroy.out << destroy.err;
  EXPECT_FALSE(fs::exists(Real("/var/lib/ljail/jails/containers/demo")));
  EXPECT_FALSE(fs::exists(Real("/etc/jail.conf.d/demo.conf")));
  EXPECT_TRUE(fs::exists(Real("/var/lib/ljail/jails/templates/" + t + "/etc/os-release")));
}

TEST_F(LinuxRuntime, ClonesShareTheTemplateAndKeepTheirChangesApart) {
  std::string t = ImportTemplate();
  CreateJail("one");
  CreateJail("two");
  std::string containers = Real("/var/lib/ljail/jails/containers");
  size_t bytes = 0;
  for (const auto& e : fs::recursive_directory_iterator(containers)) {
    if (e.is_regular_file() && !e.is_symlink()) bytes += e.file_size();
  }
  EXPECT_LT(bytes, 64u * 1024) << "a clone should hold only its own files";
  ASSERT_EQ(Ljail({"start", "one"}).exit_code, 0);
  ASSERT_EQ(Ljail({"start", "two"}).exit_code, 0);
  Exec("one", {"sh", "-c", "echo mine > /etc/only-in-one"});
  EXPECT_EQ(Ljail({"exec", "two", "--", "test", "-e", "/etc/only-in-one"}).exit_code, 1);
  EXPECT_FALSE(fs::exists(Real("/var/lib/ljail/jails/templates/" + t + "/etc/only-in-one")));
  EXPECT_TRUE(fs::exists(containers + "/one/upper/etc/only-in-one"));
  EXPECT_EQ(Exec("two", {"hostname"}), "two\n");
}

TEST_F(LinuxRuntime, StopEndsEveryProcessEvenOnesIgnoringSigterm) {
  ImportTemplate();
  CreateJail("busy");
  EditConfig("busy", [](jailconf::ConfigDocument& doc) {
    doc.SetParam("busy", "stop.timeout", jailconf::Literals({"1"}));
  });
  ASSERT_EQ(Ljail({"start", "busy"}).exit_code, 0);
  pid_t keeper = KeeperPid("busy");
  Exec("busy", {"sh", "-c",
                "(trap '' TERM; exec sleep 1000) >/dev/null 2>&1 & sleep 1000 "
                ">/dev/null 2>&1 &"});
  std::vector<pid_t> inside = ProcessesInNamespaceOf(keeper);
  EXPECT_EQ(inside.size(), 3u);  // the keeper and two sleeps
  RunResult stop = Ljail({"stop", "busy"});
  EXPECT_EQ(stop.exit_code, 0) << stop.err;
  for (pid_t p : inside) EXPECT_FALSE(ProcessAlive(p)) << p;
}

TEST_F(LinuxRuntime, StartRefusesWhatJail8WouldRefuseAndLeavesNothing) {
  ImportTemplate();
  CreateJail("strict");
  // /lib is a symbolic link in a merged-/usr Debian: jail(8) refuses it.
  EditConfig("strict", [](jailconf::ConfigDocument& doc) {
    doc.AppendParam("strict", "mount",
                    {jailconf::ConfValue::Expression("tmpfs $path/lib/x tmpfs rw 0 0")});
  });
  RunResult r = Ljail({"start", "strict"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("/lib is a symbolic link"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(Real("/run/ljail/strict")));

  EditConfig("strict", [](jailconf::ConfigDocument& doc) {
    doc.RemoveParam("strict", "mount");
    doc.SetParam("strict", "allow.mlock", {});
  });
  r = Ljail({"start", "strict"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("allow.mlock: the Linux runtime cannot honour this parameter"),
            std::string::npos)
      << r.err;
}

// rc.d/jail reads /etc/jail.conf, not the jail's own file, when
// /etc/jail.conf includes /etc/jail.conf.d (docs/freebsd.md §1.5): its
// global parameters then apply to the jail, and the Linux runtime starts
// the jail from that same evaluation, the one discovery made.
TEST_F(LinuxRuntime, AJailIncludedFromJailConfStartsWithItsGlobals) {
  ImportTemplate();
  CreateJail("inc");
  std::ofstream(Real("/etc/jail.conf")) << "allow.mlock;\n.include \"/etc/jail.conf.d/*.conf\";\n";
  RunResult r = Ljail({"start", "inc"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("allow.mlock: the Linux runtime cannot honour this parameter"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(Real("/run/ljail/inc")));

  fs::remove(Real("/etc/jail.conf"));
  r = Ljail({"start", "inc"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Ljail({"stop", "inc"}).exit_code, 0);
}

TEST_F(LinuxRuntime, VnetGivesTheJailItsOwnLoopbackOnly) {
  ImportTemplate();
  CreateJail("island");
  EditConfig("island", [](jailconf::ConfigDocument& doc) { doc.SetParam("island", "vnet", {}); });
  ASSERT_EQ(Ljail({"start", "island"}).exit_code, 0);
  std::string dev = Exec("island", {"cat", "/proc/net/dev"});
  EXPECT_NE(dev.find("lo:"), std::string::npos);
  EXPECT_EQ(std::count(dev.begin(), dev.end(), '\n'), 3) << dev;           // two headers and lo
  EXPECT_EQ(Exec("island", {"cat", "/sys/class/net/lo/flags"}), "0x9\n");  // IFF_UP|IFF_LOOPBACK
}

// A vnet jail's root configures its own interfaces, as on FreeBSD (it keeps
// CAP_NET_ADMIN for its own network namespace); a jail on the host's network
// may not touch the host's.
TEST_F(LinuxRuntime, AVnetJailsRootSetsItsOwnAddress) {
  ImportTemplate();
  CreateJail("island");
  CreateJail("shore");
  EditConfig("island", [](jailconf::ConfigDocument& doc) { doc.SetParam("island", "vnet", {}); });
  ASSERT_EQ(Ljail({"start", "island"}).exit_code, 0);
  ASSERT_EQ(Ljail({"start", "shore"}).exit_code, 0);
  const std::string script = kSetOwnAddressScript;
  RunResult own = Ljail({"exec", "island", "--", "perl", "-e", script});
  EXPECT_EQ(own.exit_code, 0) << own.err;
  EXPECT_EQ(own.out, "bound\n") << own.err;
  RunResult host = Ljail({"exec", "shore", "--", "perl", "-e", script});
  EXPECT_NE(host.exit_code, 0);
  EXPECT_NE(host.err.find("SIOCSIFADDR: Operation not permitted"), std::string::npos) << host.err;
}

TEST_F(LinuxRuntime, TerminalComesFromTheJailsOwnDevpts) {
  ImportTemplate();
  CreateJail("tty");
  ASSERT_EQ(Ljail({"start", "tty"}).exit_code, 0);
  // script(1) gives ljail a terminal, as a user's shell would.
  std::string command =
      std::string(LJAIL_BINARY) + " --root " + root_->path() + " exec tty -- sh -c 'tty; exit 5'";
  RunResult r = RunProgram("/usr/bin/script", {"-qec", command, "/dev/null"});
  EXPECT_EQ(r.exit_code, 5);
  EXPECT_NE(r.out.find("/dev/pts/0"), std::string::npos) << r.out;
}

TEST_F(LinuxRuntime, DestroyNeverDeletesThroughAMount) {
  ImportTemplate();
  fs::create_directories(Real("/data"));
  std::ofstream(Real("/data/precious")) << "keep me\n";
  CreateJail("shared", {"--share", "/data:/srv/data"});
  ASSERT_EQ(Ljail({"start", "shared"}).exit_code, 0);
  EXPECT_EQ(Exec("shared", {"cat", "/srv/data/precious"}), "keep me\n");
  // Someone mounts host data below the jail's storage by hand.
  TempDir host_data;
  host_data.Write("precious", "keep me too\n");
  std::string below = Real("/var/lib/ljail/jails/containers/shared/upper/srv");
  fs::create_directories(below);
  ASSERT_EQ(::mount(host_data.path().c_str(), below.c_str(), nullptr, MS_BIND, nullptr), 0);
  RunResult r = Ljail({"destroy", "--force", "shared"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("is mounted below it"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::exists(Real("/etc/jail.conf.d/shared.conf")));
  ASSERT_EQ(::umount(below.c_str()), 0);
  r = Ljail({"destroy", "shared"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(host_data.Read("precious"), "keep me too\n");
  std::ifstream kept(Real("/data/precious"));
  std::string line;
  EXPECT_TRUE(std::getline(kept, line) && line == "keep me") << "the shared directory was touched";
  EXPECT_FALSE(fs::exists(Real("/var/lib/ljail/jails/containers/shared")));
}

// Every path below `dir`, relative, sorted: "exactly as before" for the
// leak check.
std::vector<std::string> TreeListing(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code missing;
  for (auto it = fs::recursive_directory_iterator(dir, missing);
       !missing && it != fs::recursive_directory_iterator(); ++it) {
    out.push_back(it->path().lexically_relative(dir).string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// start/stop/restart take several names or --all (bastille's ALL): each
// jail is tried, a failure is told by name and stops no other, and the exit
// status says that one failed.
TEST_F(LinuxRuntime, AllJailsAtOnceAndOneFailureStopsNoOther) {
  ImportTemplate();
  for (const char* name : {"one", "two", "bad"}) CreateJail(name);
  // A parameter the Linux runtime refuses at start, in bad's file only.
  std::ofstream(Real("/etc/jail.conf.d/bad.conf"), std::ios::app) << "allow.mlock;\n";
  EXPECT_EQ(Ljail({"start"}).exit_code, 2);
  RunResult both = Ljail({"start", "one", "--all"});
  EXPECT_EQ(both.exit_code, 2) << both.err;
  EXPECT_NE(both.err.find("name the jails, or give --all (not both)"), std::string::npos);
  EXPECT_EQ(KeeperPid("one"), 0) << "refused before anything started";

  RunResult all = Ljail({"start", "--all"});
  EXPECT_EQ(all.exit_code, 1) << all.out << all.err;
  EXPECT_NE(all.err.find("ljail: start bad: "), std::string::npos) << all.err;
  EXPECT_NE(all.err.find("allow.mlock"), std::string::npos) << all.err;
  EXPECT_NE(all.err.find("1 of 3 jails failed: bad"), std::string::npos) << all.err;
  EXPECT_NE(all.out.find("one started"), std::string::npos) << all.out;
  EXPECT_NE(all.out.find("two started"), std::string::npos) << all.out;
  EXPECT_GT(KeeperPid("one"), 0);
  EXPECT_GT(KeeperPid("two"), 0);

  RunResult stopped = Ljail({"stop", "--all"});
  EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  EXPECT_NE(stopped.out.find("bad is not running"), std::string::npos) << stopped.out;
  EXPECT_EQ(KeeperPid("one"), 0);
  EXPECT_EQ(KeeperPid("two"), 0);
}

TEST_F(LinuxRuntime, TwoJailsAShareAndNothingLeftBehind) {
  std::string t = ImportTemplate();
  const std::string storage = Real("/var/lib/ljail/jails");
  // A host that has had jails: the storage areas exist (the first create
  // makes them, and they stay, like the datasets on FreeBSD).
  fs::create_directories(storage + "/containers");
  const std::vector<std::string> storage_before = TreeListing(storage);
  fs::create_directories(Real("/run/ljail"));
  const std::vector<std::string> run_before = TreeListing(Real("/run/ljail"));
  fs::create_directories(Real("/srv/shared"));
  std::ofstream(Real("/srv/shared/canary")) << "still here\n";

  CreateJail("alpha", {"--share", "/srv/shared:/shared"});
  CreateJail("beta", {"--share", "/srv/shared:/shared"});
  ASSERT_EQ(Ljail({"start", "alpha"}).exit_code, 0);
  ASSERT_EQ(Ljail({"start", "beta"}).exit_code, 0);
  EXPECT_EQ(Exec("alpha", {"hostname"}), "alpha\n");
  EXPECT_EQ(Exec("beta", {"hostname"}), "beta\n");
  EXPECT_EQ(Exec("alpha", {"id", "-u"}), "0\n");
  EXPECT_EQ(Exec("beta", {"id", "-un"}, "nobody"), "nobody\n");

  // The Linux file systems work inside, as a program expects them.
  EXPECT_EQ(Exec("alpha", {"sh", "-c", "cat /proc/self/stat | cut -d' ' -f2"}), "(cat)\n");
  EXPECT_EQ(Exec("alpha", {"cat", "/sys/class/net/lo/type"}), "772\n");
  EXPECT_EQ(Exec("alpha", {"sh", "-c", "echo gone > /dev/null && head -c 4 /dev/zero | wc -c"}),
            "4\n");
  EXPECT_EQ(Exec("alpha", {"sh", "-c", "echo x > /dev/shm/f && cat /dev/shm/f"}, "nobody"), "x\n");
  EXPECT_EQ(Exec("alpha", {"sh", "-c", "test -c /dev/pts/ptmx && echo pts"}), "pts\n");

  // Each jail's files are its own; the template is never written.
  Exec("alpha", {"sh", "-c", "echo a > /root/mine"});
  EXPECT_EQ(Ljail({"exec", "beta", "--", "test", "-e", "/root/mine"}).exit_code, 1);
  EXPECT_FALSE(fs::exists(Real("/var/lib/ljail/jails/templates/" + t + "/root/mine")));
  // The share is one directory seen by both.
  Exec("alpha", {"sh", "-c", "echo from-alpha > /shared/note"});
  EXPECT_EQ(Exec("beta", {"cat", "/shared/note", "/shared/canary"}), "from-alpha\nstill here\n");

  // Stop and start again: the jail's files stay.
  ASSERT_EQ(Ljail({"restart", "alpha"}).exit_code, 0);
  EXPECT_EQ(Exec("alpha", {"cat", "/root/mine"}), "a\n");

  for (const char* name : {"alpha", "beta"}) {
    RunResult r = Ljail({"destroy", "--force", name});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  EXPECT_EQ(HostMountsUnderRoot(), std::vector<std::string>{});
  EXPECT_EQ(TreeListing(Real("/run/ljail")), run_before);
  EXPECT_EQ(TreeListing(storage), storage_before);
  std::ifstream canary(Real("/srv/shared/canary"));
  std::string line;
  EXPECT_TRUE(std::getline(canary, line) && line == "still here");
}

// kill -9 after each step of `create`: the rerun finishes the jail, or, when
// the config was already written, the jail is whole and starts; `list`
// never shows a jail that cannot start.
TEST_F(LinuxRuntime, AKilledCreateConvergesAtEveryStep) {
  ImportTemplate();
  int n = 0;
  for (const char* step :
       {"storage /var/lib/ljail/jails/containers", "jail tree", "mount points", "jail config"}) {
    std::string name = "cut" + std::to_string(n++);
    RunResult cut = LjailWithEnv(std::string("LJAIL_FAULT_KILL_AFTER=") + step,
                                 {"create", name, "--template", template_});
    ASSERT_EQ(cut.exit_code, 128 + SIGKILL) << step << ": " << cut.out << cut.err;
    bool listed = Ljail({"list"}).out.find(name + " ") != std::string::npos;
    EXPECT_EQ(listed, fs::exists(Real("/etc/jail.conf.d/" + name + ".conf"))) << step;
    if (!listed) {
      RunResult rerun = Ljail({"create", name, "--template", template_});
      ASSERT_EQ(rerun.exit_code, 0) << step << ": " << rerun.out << rerun.err;
      EXPECT_NE(rerun.out.find("skip  "), std::string::npos) << step << ": " << rerun.out;
    }
    ASSERT_EQ(Ljail({"start", name}).exit_code, 0) << step;
    EXPECT_EQ(Exec(name, {"hostname"}), name + "\n") << step;
    RunResult destroyed = Ljail({"destroy", "--force", name});
    EXPECT_EQ(destroyed.exit_code, 0) << step << ": " << destroyed.err;
  }
  EXPECT_FALSE(fs::exists(Real("/var/lib/ljail/jails/containers/cut0")));
  EXPECT_TRUE(fs::is_empty(Real("/var/lib/ljail/jails/containers")));
}

// Killed after its file is written but before its tree is set up (the
// user), a jail is listed as partial with the command that finishes it,
// and that same command finishes it (issue 13: it said "exists already").
TEST_F(LinuxRuntime, AKilledSetupIsPartialAndTheSameCreateFinishesIt) {
  ImportTemplate();
  int n = 0;
  for (std::string step : {"jail config", "start ", "user admin"}) {
    std::string name = "half" + std::to_string(n++);
    if (step == "start ") step += name;
    std::vector<std::string> create = {"create", name, "--template", template_, "--user", "admin"};
    RunResult cut = LjailWithEnv("LJAIL_FAULT_KILL_AFTER=" + step, create);
    ASSERT_EQ(cut.exit_code, 128 + SIGKILL) << step << ": " << cut.out << cut.err;
    RunResult list = Ljail({"list"});
    EXPECT_NE(list.out.find(name + " is partial"), std::string::npos) << step << ": " << list.out;
    nlohmann::json info = nlohmann::json::parse(Ljail({"info", name, "--json"}).out);
    EXPECT_EQ(info["state"], "partial") << step;
    EXPECT_NE(info["finish"].get<std::string>().find("create " + name), std::string::npos);

    RunResult again = Ljail(create);
    ASSERT_EQ(again.exit_code, 0) << step << ": " << again.out << again.err;
    nlohmann::json whole = nlohmann::json::parse(Ljail({"info", name, "--json"}).out);
    EXPECT_EQ(whole["state"], "stopped") << step;
    EXPECT_EQ(whole["finish"], "") << step;
    ASSERT_EQ(Ljail({"start", name}).exit_code, 0) << step;
    EXPECT_EQ(Exec(name, {"id", "-un"}, "admin"), "admin\n") << step;
    EXPECT_EQ(Exec(name, {"stat", "-c", "%U", "/home/admin"}), "admin\n") << step;
    ASSERT_EQ(Ljail({"destroy", "--force", name}).exit_code, 0) << step;
  }
  // A whole jail is still refused.
  CreateJail("whole");
  EXPECT_EQ(Ljail({"create", "whole", "--template", template_}).exit_code, 2);
}

// The command of `ljail exec` ends with ljail (issue 13): it runs in a
// session of its own inside the jail, and outlived a killed ljail, holding
// what it held (an apt, dpkg's lock). ljail's helper passes a SIGTERM on to
// its process group, and gets one itself when ljail dies, even by SIGKILL.
TEST_F(LinuxRuntime, AnExecsCommandEndsWithLjail) {
  ImportTemplate();
  CreateJail("short");
  ASSERT_EQ(Ljail({"start", "short"}).exit_code, 0);
  const pid_t keeper = KeeperPid("short");
  for (int sig : {SIGTERM, SIGKILL}) {
    std::unique_ptr<StartedProgram> run =
        StartLjail({"exec", "short", "--", "sh", "-c", "sleep 1000; echo never"});
    pid_t sleeper = WaitForProcessInNamespaceOf(keeper, "sleep", std::chrono::seconds(30));
    ASSERT_GT(sleeper, 0) << strsignal(sig);
    ASSERT_EQ(::kill(run->pid(), sig), 0);
    RunResult r = run->Wait();
    EXPECT_EQ(r.exit_code, 128 + sig) << r.err;
    for (int i = 0; i < 200 && ProcessAlive(sleeper); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_FALSE(ProcessAlive(sleeper)) << "the command outlived ljail (" << strsignal(sig) << ")";
    // The sleeper's shell and ljail's helper exit a moment after it.
    for (int i = 0; i < 200 && ProcessesInNamespaceOf(keeper).size() > 1; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_EQ(ProcessesInNamespaceOf(keeper), std::vector<pid_t>{keeper});
  }
  // A command that ignores SIGTERM is killed after the grace period.
  std::unique_ptr<StartedProgram> run =
      StartLjail({"exec", "short", "--", "sh", "-c", "trap '' TERM; sleep 1000"});
  pid_t stubborn = WaitForProcessInNamespaceOf(keeper, "sleep", std::chrono::seconds(30));
  ASSERT_GT(stubborn, 0);
  ASSERT_EQ(::kill(run->pid(), SIGTERM), 0);
  (void)run->Wait();
  for (int i = 0; i < 200 && ProcessAlive(stubborn); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(ProcessAlive(stubborn)) << "SIGKILL after the grace period";
  EXPECT_EQ(KeeperPid("short"), keeper) << "the jail itself runs on";
}

// One changing command at a time per jail (issue 13): of two creates of one
// name at once, one makes the jail and the other changes nothing; while a
// lock is held, a command waits briefly, then says who holds it.
TEST_F(LinuxRuntime, OneChangeAtATimePerJail) {
  ImportTemplate();
  const std::vector<std::string> create = {"create", "pair", "--template", template_};
  auto first = std::async(std::launch::async, [&] { return Ljail(create); });
  auto second = std::async(std::launch::async, [&] { return Ljail(create); });
  RunResult a = first.get();
  RunResult b = second.get();
  ASSERT_EQ((a.exit_code == 0) + (b.exit_code == 0), 1) << a.err << "\n" << b.err;
  const RunResult& other = a.exit_code == 0 ? b : a;
  EXPECT_TRUE((other.exit_code == 2 && other.err.find("exists already") != std::string::npos) ||
              (other.exit_code == 1 && other.err.find("busy") != std::string::npos))
      << other.exit_code << ": " << other.err;

  int held = ::open(Real("/run/ljail/.locks/jail-pair").c_str(), O_RDWR | O_CLOEXEC);
  ASSERT_GE(held, 0);
  ASSERT_EQ(::flock(held, LOCK_EX), 0);
  const std::string holder = "pid 1: ljail a-command-of-the-test\n";
  ASSERT_EQ(::pwrite(held, holder.data(), holder.size(), 0), static_cast<ssize_t>(holder.size()));
  std::string before = ReadFile(Real("/etc/jail.conf.d/pair.conf"));
  RunResult busy = LjailWithEnv("LJAIL_LOCK_WAIT_MS=300", {"set", "pair", "dns=none"});
  EXPECT_EQ(busy.exit_code, 1) << busy.err;
  EXPECT_NE(busy.err.find("a-command-of-the-test"), std::string::npos) << busy.err;
  EXPECT_EQ(ReadFile(Real("/etc/jail.conf.d/pair.conf")), before) << "changed while locked";
  ::close(held);
  EXPECT_EQ(Ljail({"set", "pair", "dns=none"}).exit_code, 0);
  EXPECT_EQ(ReadFile(Real("/run/ljail/.locks/jail-pair")), "")
      << "a lock nobody holds names nobody (and a host's state is not its last pid)";
  ASSERT_EQ(Ljail({"destroy", "--force", "pair"}).exit_code, 0);
  EXPECT_FALSE(fs::exists(Real("/run/ljail/.locks/jail-pair"))) << "destroy takes its lock away";
}

// template rm takes every trace away: the next build of the same name
// builds (issue 13: a marker left said "nothing to do", and a create on it
// failed half way).
TEST_F(LinuxRuntime, ARemovedTemplateIsBuiltAgain) {
  ImportTemplate();
  ASSERT_EQ(Ljail({"template", "rm", template_}).exit_code, 0);
  EXPECT_EQ(Ljail({"template", "list", "--json"}).out.find(template_), std::string::npos);
  RunResult again = Ljail({"template", "build", "debian:bookworm", "--from-tarball",
                           cache_dir_ + "/bookworm-amd64-minbase.tar"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out.find("nothing to do"), std::string::npos) << again.out;
  CreateJail("after");
  ASSERT_EQ(Ljail({"start", "after"}).exit_code, 0);
  EXPECT_EQ(Exec("after", {"hostname"}), "after\n");
}

TEST_F(LinuxRuntime, BadInputChangesNothing) {
  ImportTemplate();
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"create", "bad.name", "--template", template_},
           {"create", "x", "--template", "no-such-template"},
           {"create", "x", "--template", template_, "--share", "relative:/srv"},
           {"create", "x", "--template", template_, "--share", "/no/such/dir"},
           {"create", "x", "--template", template_, "--hostname", "-bad-"},
           {"start", "ghost"},
           {"exec", "ghost", "--", "true"}}) {
    RunResult r = Ljail(args);
    EXPECT_EQ(r.exit_code, 2) << args[0] << " " << args[1] << ": " << r.err;
  }
  EXPECT_FALSE(fs::exists(Real("/var/lib/ljail/jails/containers")));
  EXPECT_FALSE(fs::exists(Real("/etc/jail.conf.d")));
}

// A jail file with ljail's variables but a path of its own choosing: destroy
// deletes only what ljail keeps under jails_dir/containers/NAME, never
// dirname(path).
TEST_F(LinuxRuntime, DestroyDeletesOnlyStorageLjailMade) {
  fs::create_directories(Real("/srv/victim/root"));
  std::ofstream(Real("/srv/victim/keep")) << "the host's\n";
  fs::create_directories(Real("/etc/jail.conf.d"));
  std::ofstream(Real("/etc/jail.conf.d/evil.conf"))
      << "evil {\n\t$ljail_distro = debian;\n\tpath = \"/srv/victim/root\";\n\tpersist;\n}\n";
  RunResult r = Ljail({"destroy", "evil"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("ljail deletes only the storage it made"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::exists(Real("/srv/victim/keep")));
  fs::remove(Real("/etc/jail.conf.d/evil.conf"));
}

}  // namespace
}  // namespace ljail::testing
