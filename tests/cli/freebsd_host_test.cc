// ljail host check | init and release fetch | list on the simulated FreeBSD
// host (issue 3): idempotence, dry runs, failure paths, bad input.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/archive_fixture.h"
#include "support/freebsd_fixture.h"
#include "support/golden.h"
#include "support/sim_host.h"

namespace ljail {
namespace {

using testing::RunResult;
using testing::SimHost;

TEST(HostInit, FreshHostCheckListsEverythingToDo) {
  SimHost h;
  RunResult r = h.Ljail({"host", "check"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("todo  kernel module linux64elf (64-bit Linux ABI)"), std::string::npos);
  EXPECT_NE(r.out.find("15 of 16 to do"), std::string::npos) << r.out;  // the keyring is there
}

TEST(HostInit, DryRunChangesNothing) {
  SimHost h;
  std::string before = testing::Snapshot(h);
  RunResult r = h.Ljail({"--dry-run", "host", "init"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  testing::MatchesGolden("host-init-dry-run.txt", r.out);
  testing::ExpectSameState(before, testing::Snapshot(h));
}

TEST(HostInit, InitThenEverythingIsDoneAndASecondRunChangesNothing) {
  SimHost h;
  RunResult first = h.Ljail({"host", "init"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(h.Run({"sysrc", "-n", "linux_enable"}).out, "YES\n");
  EXPECT_EQ(h.Run({"sysrc", "-n", "jail_enable"}).out, "YES\n");
  EXPECT_EQ(h.Run({"kldstat", "-q", "-m", "linux64elf"}).exit_code, 0);
  EXPECT_EQ(h.Run({"zfs", "get", "-H", "-o", "value", "mountpoint", "zroot/jails"}).out,
            "/usr/local/jails\n");
  EXPECT_NE(h.Read("/etc/jail.conf").find(".include \"/etc/jail.conf.d/*.conf\";\n"),
            std::string::npos);
  EXPECT_TRUE(std::filesystem::is_directory(h.Real("/etc/jail.conf.d")));

  std::string after_first = testing::Snapshot(h);
  RunResult second = h.Ljail({"host", "init"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.out.find("  do  "), std::string::npos) << second.out;
  EXPECT_NE(second.out.find("nothing to do: every step was already done"), std::string::npos);
  testing::ExpectSameState(after_first, testing::Snapshot(h));
  EXPECT_EQ(h.Ljail({"host", "check"}).exit_code, 0);
}

TEST(HostInit, KeepsAHandWrittenJailConf) {
  SimHost h;
  h.Write("/etc/jail.conf", "# mine\nexec.clean;\nweb { path = /jails/web; }\n");
  ASSERT_EQ(h.Ljail({"host", "init"}).exit_code, 0);
  EXPECT_EQ(
      h.Read("/etc/jail.conf"),
      "# mine\nexec.clean;\nweb { path = /jails/web; }\n.include \"/etc/jail.conf.d/*.conf\";\n");
}

TEST(HostInit, RefusesToEditABrokenJailConf) {
  SimHost h;
  h.Write("/etc/jail.conf", "web { path = ; }\n");
  RunResult r = h.Ljail({"host", "check"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("/etc/jail.conf line 1: ;: syntax error"), std::string::npos) << r.err;
}

TEST(HostInit, DirectoriesWithoutZfs) {
  SimHost h;
  RunResult r = h.Ljail({"host", "init", "--zfs-root", "none", "--jails-dir", "/jails"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::is_directory(h.Real("/jails/templates")));
  EXPECT_EQ(h.Run({"zfs", "list", "-H", "-o", "name", "-r", "zroot"}).out, "zroot\n");
}

TEST(HostInit, OptionsThatContradictTheSettingsAreRefused) {
  SimHost h;
  ASSERT_EQ(h.Ljail({"host", "init"}).exit_code, 0);
  RunResult r = h.Ljail({"host", "init", "--zfs-root", "zroot/other"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "ljail: /usr/local/etc/ljail.conf says zfs_root = \"zroot/jails\", not "
            "\"zroot/other\": edit the file, or leave the option out\n");
}

TEST(HostInit, BadInputChangesNothing) {
  SimHost h;
  std::string before = testing::Snapshot(h);
  RunResult r = h.Ljail({"host", "init", "--zfs-root", "tank/jails"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "ljail: zfs_root \"tank/jails\": no pool \"tank\" on this host\n");
  EXPECT_EQ(h.Ljail({"host", "init", "--jails-dir", "relative"}).exit_code, 2);
  EXPECT_EQ(h.Ljail({"host", "init", "--zfs-root", "zroot//x"}).exit_code, 2);
  testing::ExpectSameState(before, testing::Snapshot(h));
}

TEST(HostInit, CheckJson) {
  SimHost h;
  nlohmann::json out = nlohmann::json::parse(h.Ljail({"host", "check", "--json"}).out);
  EXPECT_EQ(out["host"]["release"], "14.3-RELEASE-p1");
  EXPECT_EQ(out["ready"], false);
  EXPECT_EQ(out["checks"][1]["check"], "linux_enable=YES in /etc/rc.conf (Linux ABI at boot)");
  EXPECT_EQ(out["checks"][1]["fix"][0], "sysrc linux_enable=YES");
  EXPECT_EQ(out["host"]["zfs_pools"], nlohmann::json::array({"zroot"}));
}

class ReleaseFetch : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(h.Ljail({"host", "init"}).exit_code, 0);
    testing::UseLocalMirror(h);
    sha = testing::PublishRelease(h, "14.3-RELEASE");
  }
  SimHost h;
  std::string sha;
};

TEST_F(ReleaseFetch, DryRunIsTheExactPlan) {
  std::string before = testing::Snapshot(h);
  RunResult r = h.Ljail({"--dry-run", "release", "fetch", "14.3-RELEASE"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  testing::MatchesGolden("release-fetch-dry-run.txt", r.out);
  testing::ExpectSameState(before, testing::Snapshot(h));
}

TEST_F(ReleaseFetch, FromScratchThenAgain) {
  RunResult first = h.Ljail({"release", "fetch", "14.3-RELEASE"});
  ASSERT_EQ(first.exit_code, 0) << first.err << first.out;
  EXPECT_EQ(h.Read("/usr/local/jails/templates/14.3-RELEASE/etc/resolv.conf"),
            "nameserver 127.0.0.1\n");
  EXPECT_TRUE(
      std::filesystem::exists(h.Real("/usr/local/jails/templates/14.3-RELEASE/usr/bin/false")));
  EXPECT_EQ(h.Run({"zfs", "list", "-H", "-o", "name", "-t", "snapshot",
                   "zroot/jails/templates/14.3-RELEASE@base"})
                .exit_code,
            0);
  std::string end_state = testing::Snapshot(h);
  RunResult second = h.Ljail({"release", "fetch", "14.3-RELEASE"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.out.find("  do  "), std::string::npos) << second.out;
  testing::ExpectSameState(end_state, testing::Snapshot(h));
}

TEST_F(ReleaseFetch, HostInitAndFetchFromAFileTwiceGiveTheSameEndState) {
  // Issue 3, "done when": host init && release fetch --from FILE, twice.
  testing::TempDir local;
  testing::WriteReleaseFiles(local.path(), "14.3-RELEASE");
  RunResult first = h.Ljail({"release", "fetch", "14.3-RELEASE", "--from", local.Path("base.txz")});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  std::string end_state = testing::Snapshot(h);
  RunResult init_again = h.Ljail({"host", "init"});
  RunResult fetch_again =
      h.Ljail({"release", "fetch", "14.3-RELEASE", "--from", local.Path("base.txz")});
  EXPECT_EQ(init_again.out.find("  do  "), std::string::npos);
  EXPECT_EQ(fetch_again.out.find("  do  "), std::string::npos);
  EXPECT_NE(fetch_again.out.find("nothing to do"), std::string::npos);
  testing::ExpectSameState(end_state, testing::Snapshot(h));
}

TEST_F(ReleaseFetch, PatchesAreInstalledAndListed) {
  h.Run({"sh", "-c", "true"});
  std::string state = h.state() + "/state.json";
  std::string json_text = h.Run({"cat", state}).out;
  nlohmann::json s = nlohmann::json::parse(json_text);
  s["updates"]["14.3-RELEASE"] = "p2";
  std::ofstream(state) << s.dump();
  ASSERT_EQ(h.Ljail({"release", "fetch", "14.3-RELEASE"}).exit_code, 0);
  nlohmann::json list = nlohmann::json::parse(h.Ljail({"release", "list", "--json"}).out);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["userland"], "14.3-RELEASE-p2");
  EXPECT_EQ(list[0]["complete"], true);
  EXPECT_EQ(list[0]["snapshot"], "zroot/jails/templates/14.3-RELEASE@base");
  EXPECT_EQ(list[0]["base_sha256"], sha);
}

TEST_F(ReleaseFetch, ChecksumMismatchStopsBeforeExtractingAndRemovesTheFile) {
  std::string dir = "/mirror/releases/amd64/amd64/14.3-RELEASE";
  h.Write(dir + "/MANIFEST", "base.txz\t" + std::string(64, 'a') + "\t21\tbase\t\"Base\"\ton\n");
  RunResult r = h.Ljail({"release", "fetch", "14.3-RELEASE"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("base.txz checksum mismatch: MANIFEST says aaaa"), std::string::npos)
      << r.err;
  EXPECT_FALSE(
      std::filesystem::exists(h.Real("/usr/local/jails/media/14.3-RELEASE-amd64/base.txz")));
  EXPECT_FALSE(std::filesystem::exists(h.Real("/usr/local/jails/templates/14.3-RELEASE/bin")));
  // The mirror is fixed: the same command now finishes the job.
  testing::PublishRelease(h, "14.3-RELEASE");
  h.Write("/usr/local/jails/media/14.3-RELEASE-amd64/MANIFEST", h.Read(dir + "/MANIFEST"));
  RunResult again = h.Ljail({"release", "fetch", "14.3-RELEASE"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
}

TEST_F(ReleaseFetch, HalfExtractedTemplateIsFinished) {
  // An interrupted run: dataset made, base.txz verified, extraction cut short.
  ASSERT_EQ(h.Run({"zfs", "create", "zroot/jails/templates/14.3-RELEASE"}).exit_code, 0);
  h.Write("/usr/local/jails/templates/14.3-RELEASE/bin/freebsd-version", "trunc");
  RunResult dry = h.Ljail({"--dry-run", "release", "fetch", "14.3-RELEASE"});
  EXPECT_NE(dry.out.find("chflags -R noschg /usr/local/jails/templates/14.3-RELEASE"),
            std::string::npos);
  RunResult r = h.Ljail({"release", "fetch", "14.3-RELEASE"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(h.Read("/usr/local/jails/templates/14.3-RELEASE/bin/freebsd-version")
                .find("USERLAND_VERSION"),
            std::string::npos);
}

TEST_F(ReleaseFetch, ExistingSnapshotMeansDone) {
  ASSERT_EQ(h.Run({"zfs", "create", "zroot/jails/templates/14.3-RELEASE"}).exit_code, 0);
  ASSERT_EQ(h.Run({"zfs", "snapshot", "zroot/jails/templates/14.3-RELEASE@base"}).exit_code, 0);
  RunResult r = h.Ljail({"release", "fetch", "14.3-RELEASE"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("skip  snapshot @base (template sealed at @base)"), std::string::npos);
  EXPECT_EQ(r.out.find("  do  "), std::string::npos);
}

TEST_F(ReleaseFetch, BadInputIsRefusedBeforeAnythingChanges) {
  std::string before = testing::Snapshot(h);
  RunResult bad_release = h.Ljail({"release", "fetch", "14.3"});
  EXPECT_EQ(bad_release.exit_code, 2);
  EXPECT_EQ(bad_release.err,
            "ljail: release \"14.3\": expected a name such as 14.3-RELEASE (or -BETAn, -RCn)\n");
  RunResult bad_arch = h.Ljail({"release", "fetch", "14.3-RELEASE", "--arch", "i386"});
  EXPECT_EQ(bad_arch.exit_code, 2);
  EXPECT_EQ(bad_arch.err, "ljail: --arch \"i386\": expected amd64 or arm64\n");
  RunResult no_file =
      h.Ljail({"release", "fetch", "14.3-RELEASE", "--from", "/nonexistent/base.txz"});
  EXPECT_EQ(no_file.exit_code, 2);
  EXPECT_EQ(no_file.err, "ljail: \"/nonexistent/base.txz\": no such file\n");
  testing::TempDir lone;
  lone.Write("base.txz", "x");
  RunResult no_manifest =
      h.Ljail({"release", "fetch", "14.3-RELEASE", "--from", lone.Path("base.txz")});
  EXPECT_EQ(no_manifest.exit_code, 2);
  testing::ExpectSameState(before, testing::Snapshot(h));
}

TEST_F(ReleaseFetch, PkgbaseTemplateIsInstalledWithPkgThenUpgraded) {
  testing::PublishPkgbase(h, "15.0-RELEASE");
  const std::string tree = "/usr/local/jails/templates/15.0-RELEASE";
  ASSERT_EQ(h.Ljail({"release", "fetch", "15.0-RELEASE", "--pkgbase", "--no-update"}).exit_code, 0);
  EXPECT_NE(h.Read(tree + "/bin/freebsd-version").find("\"15.0-RELEASE\""), std::string::npos);
  EXPECT_EQ(h.Read(tree + "/etc/resolv.conf"), "nameserver 127.0.0.1\n");
  EXPECT_TRUE(std::filesystem::is_empty(h.Real(tree + "/var/cache/pkg")));
  nlohmann::json list = nlohmann::json::parse(h.Ljail({"release", "list", "--json"}).out);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["source"], "pkgbase");
  EXPECT_EQ(list[0]["complete"], true);
  RunResult again = h.Ljail({"release", "fetch", "15.0-RELEASE"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("nothing to do"), std::string::npos) << again.out;
  RunResult sets = h.Ljail({"release", "fetch", "15.0-RELEASE", "--sets"});
  EXPECT_EQ(sets.exit_code, 2);
  EXPECT_NE(sets.err.find("was made from pkgbase packages"), std::string::npos) << sets.err;
}

TEST_F(ReleaseFetch, PkgbaseUpgradePicksUpPatches) {
  testing::PublishPkgbase(h, "15.0-RELEASE");
  const std::string tree = "/usr/local/jails/templates/15.0-RELEASE";
  RunResult dry = h.Ljail({"--dry-run", "release", "fetch", "15.0-RELEASE", "--pkgbase"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find("pkg -R /var/db/ljail/pkgbase/15.0-RELEASE --rootdir " + tree +
                         " -o ABI=FreeBSD:15:amd64 -o OSVERSION=1500000 -o IGNORE_OSVERSION=yes "
                         "install -y -r FreeBSD-base FreeBSD-set-minimal-jail"),
            std::string::npos)
      << dry.out;
  ASSERT_EQ(h.Ljail({"release", "fetch", "15.0-RELEASE", "--no-update"}).exit_code, 1)
      << "a 15.x release is made from sets unless --pkgbase says otherwise";
  ASSERT_EQ(h.Run({"zfs", "destroy", "-r", "zroot/jails/templates/15.0-RELEASE"}).exit_code, 0);
  std::filesystem::remove(h.Real("/var/db/ljail/releases/15.0-RELEASE.json"));
  ASSERT_EQ(h.Ljail({"release", "fetch", "15.0-RELEASE", "--pkgbase", "--no-update"}).exit_code, 0);
  // Stopped before its upgrade (the seal undone), the template is patched
  // from what the repository has by the time the command runs again.
  ASSERT_EQ(h.Run({"zfs", "destroy", "zroot/jails/templates/15.0-RELEASE@base"}).exit_code, 0);
  testing::PublishPkgbase(h, "15.0-RELEASE-p1");
  RunResult rerun = h.Ljail({"release", "fetch", "15.0-RELEASE"});
  ASSERT_EQ(rerun.exit_code, 0) << rerun.err << rerun.out;
  EXPECT_NE(rerun.out.find("skip  FreeBSD-set-minimal-jail installed"), std::string::npos)
      << rerun.out;
  EXPECT_NE(h.Read(tree + "/bin/freebsd-version").find("\"15.0-RELEASE-p1\""), std::string::npos);
  // A catalogue signed by a key the host does not trust stops pkg.
  std::ofstream(h.Real("/mirror/pkgbase/FreeBSD:15:amd64/base_release_0/packagesite.sig"))
      << "{\"fingerprint\": \"" << std::string(64, 'c') << "\", \"digest\": \"x\"}";
  ASSERT_EQ(h.Run({"zfs", "destroy", "-r", "zroot/jails/templates/15.0-RELEASE"}).exit_code, 0);
  std::filesystem::remove(h.Real("/var/db/ljail/releases/15.0-RELEASE.json"));
  RunResult untrusted = h.Ljail({"release", "fetch", "15.0-RELEASE", "--pkgbase"});
  EXPECT_EQ(untrusted.exit_code, 1);
  EXPECT_NE(untrusted.err.find("No trusted public keys found"), std::string::npos) << untrusted.err;
}

TEST_F(ReleaseFetch, PkgbaseRemadeAfterItsJournalWentIsStillKnownAsPkgbase) {
  testing::PublishPkgbase(h, "15.0-RELEASE");
  ASSERT_EQ(h.Ljail({"release", "fetch", "15.0-RELEASE", "--pkgbase", "--no-update"}).exit_code, 0);
  // The template and its journal go; ljail's repository file stays.
  ASSERT_EQ(h.Run({"zfs", "destroy", "-r", "zroot/jails/templates/15.0-RELEASE"}).exit_code, 0);
  std::filesystem::remove(h.Real("/var/db/ljail/releases/15.0-RELEASE.json"));
  ASSERT_EQ(h.Ljail({"release", "fetch", "15.0-RELEASE", "--pkgbase", "--no-update"}).exit_code, 0);
  nlohmann::json list = nlohmann::json::parse(h.Ljail({"release", "list", "--json"}).out);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["source"], "pkgbase");
  RunResult again = h.Ljail({"release", "fetch", "15.0-RELEASE"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("nothing to do"), std::string::npos) << again.out;
}

TEST_F(ReleaseFetch, PkgbaseBadInputIsRefusedBeforeAnythingChanges) {
  std::string before = testing::Snapshot(h);
  auto refused = [&](const std::vector<std::string>& args, const std::string& part) {
    RunResult r = h.Ljail(args);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(part), std::string::npos) << r.err;
  };
  refused({"release", "fetch", "14.3-RELEASE", "--pkgbase"}, "from 15.0 on");
  refused({"release", "fetch", "16.0-RELEASE", "--sets"}, "publish no distribution sets");
  refused({"release", "fetch", "15.0-RELEASE", "--sets", "--pkgbase"}, "excludes");
  refused({"release", "fetch", "15.0-BETA1", "--pkgbase"}, "test builds are not among them");
  refused({"release", "fetch", "14.3-RELEASE", "--fingerprints", "/k"}, "goes with --pkgbase");
  refused({"release", "fetch", "15.0-RELEASE", "--pkgbase", "--fingerprints", "k"}, "absolute");
  refused({"release", "fetch", "15.0-RELEASE", "--pkgbase"},
          "/usr/share/keys/pkgbase-15/trusted: no such directory");
  testing::ExpectSameState(before, testing::Snapshot(h));
}

TEST(ReleaseFetchUninitialized, SaysToRunHostInit) {
  SimHost h;
  RunResult r = h.Ljail({"release", "fetch", "14.3-RELEASE"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "ljail: /usr/local/jails/templates does not exist: run `ljail host init` first\n");
}

TEST(ReleaseFetchUninitialized, NetworkFailureIsReported) {
  SimHost h;
  ASSERT_EQ(h.Ljail({"host", "init"}).exit_code, 0);
  RunResult r = h.Ljail({"release", "fetch", "14.3-RELEASE"});  // https:// mirror: no network
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("MANIFEST of 14.3-RELEASE: fetch -q -o"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("No address record"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace ljail
