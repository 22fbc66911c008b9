// host init on a simulated FreeBSD host that lacks Debian's keyring (issue
// 15 §6). The package is Debian's real debian-archive-keyring, which apt
// downloads from the archive (the one outside server the tests may reach)
// and the test publishes on a file:// Debian mirror; ljail fetches it from
// there as it would from deb.debian.org, checks it against the SHA-256 it
// ships and installs the keyring. A package one byte off is refused.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "runtime/freebsd/debian_keyring.h"
#include "support/not_run.h"
#include "support/run_ljail.h"
#include "support/sim_host.h"
#include "support/temp_dir.h"

namespace ljail {
namespace {

namespace fs = std::filesystem;
using host::freebsd::KeyringPackageUrl;
using host::freebsd::TrustedKeyringPackage;
using testing::RunResult;
using testing::SimHost;

constexpr const char* kMirror = "/mirror/debian";

class DebianKeyring : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string version = TrustedKeyringPackage().version;
    RunResult got = testing::RunProgram(
        "/bin/sh", {"-c", "cd \"$0\" && apt-get download -q debian-archive-keyring=\"$1\"",
                    download_.path(), version});
    if (got.exit_code != 0)
      LJAIL_NOT_RUN("apt-get download debian-archive-keyring=" << version << ": " << got.err);
    deb_ = download_.path() + "/debian-archive-keyring_" + version + "_all.deb";
    ASSERT_TRUE(fs::exists(deb_)) << got.out << got.err;
    fs::remove(h_.Real(testing::kSimDebianKeyring));
    h_.Write(
        "/usr/local/etc/ljail.conf",
        std::string("zfs_root = \"zroot/jails\";\ndebian_mirror = \"file://") + kMirror + "\";\n");
  }

  // The package where the mirror's pool keeps it.
  std::string Published() const {
    std::string url = KeyringPackageUrl(kMirror, TrustedKeyringPackage());
    fs::create_directories(fs::path(h_.Real(url)).parent_path());
    return h_.Real(url);
  }

  testing::TempDir download_;
  std::string deb_;
  SimHost h_;
};

TEST_F(DebianKeyring, HostInitFetchesChecksAndInstallsIt) {
  fs::copy_file(deb_, Published());
  RunResult check = h_.Ljail({"host", "check"});
  EXPECT_EQ(check.exit_code, 1);
  EXPECT_NE(
      check.out.find(std::string("todo  Debian archive keyring ") + testing::kSimDebianKeyring),
      std::string::npos)
      << check.out;
  RunResult dry = h_.Ljail({"--dry-run", "host", "init"});
  EXPECT_NE(dry.out.find("fetch -q -o /var/db/ljail/debian-archive-keyring.deb file://" +
                         std::string(kMirror) + "/pool/main/d/debian-archive-keyring/"),
            std::string::npos)
      << dry.out;
  EXPECT_FALSE(fs::exists(h_.Real(testing::kSimDebianKeyring)));

  RunResult init = h_.Ljail({"host", "init"});
  ASSERT_EQ(init.exit_code, 0) << init.err << init.out;
  // The keyring that this machine's own package of the same version holds.
  RunResult installed =
      testing::RunProgram("/usr/bin/dpkg-query", {"-W", "-f=${Version}", "debian-archive-keyring"});
  std::string ours = h_.Read(testing::kSimDebianKeyring);
  EXPECT_GT(ours.size(), 1000u);
  if (installed.out == TrustedKeyringPackage().version) {
    std::ifstream machine("/usr/share/keyrings/debian-archive-keyring.gpg", std::ios::binary);
    EXPECT_EQ(ours, std::string(std::istreambuf_iterator<char>(machine), {}));
  }
  EXPECT_FALSE(fs::exists(h_.Real("/var/db/ljail/debian-archive-keyring.deb")));
  EXPECT_FALSE(fs::exists(h_.Real("/var/db/ljail/debian-archive-keyring")));

  RunResult again = h_.Ljail({"host", "init"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("nothing to do"), std::string::npos) << again.out;
}

TEST_F(DebianKeyring, APackageOneByteOffIsRefusedAndRemoved) {
  fs::copy_file(deb_, Published());
  std::ofstream(Published(), std::ios::app | std::ios::binary) << '\n';
  RunResult init = h_.Ljail({"host", "init"});
  EXPECT_EQ(init.exit_code, 1);
  EXPECT_NE(init.err.find("debian-archive-keyring checksum mismatch: ljail trusts " +
                          std::string(TrustedKeyringPackage().sha256)),
            std::string::npos)
      << init.err;
  EXPECT_FALSE(fs::exists(h_.Real(testing::kSimDebianKeyring)));
  EXPECT_FALSE(fs::exists(h_.Real("/var/db/ljail/debian-archive-keyring.deb")));
}

TEST_F(DebianKeyring, AMirrorWithoutThePackageSaysSo) {
  RunResult init = h_.Ljail({"host", "init"});
  EXPECT_EQ(init.exit_code, 1);
  EXPECT_NE(init.err.find("debian-archive-keyring_"), std::string::npos) << init.err;
  EXPECT_FALSE(fs::exists(h_.Real(testing::kSimDebianKeyring)));
}

}  // namespace
}  // namespace ljail
