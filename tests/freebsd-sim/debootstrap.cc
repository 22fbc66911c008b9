// sysutils/debootstrap as FreeBSD's port behaves (docs/freebsd.md §8): the
// architecture must be given (the port would guess kfreebsd-<arch>), the
// keyring must exist unless --no-check-gpg, and the second stage needs the
// Linux ABI. The tree itself is unpacked from
// $LJAIL_SIM_DEBOOTSTRAP_CACHE/<suite>-<arch>-<variant>.tar, a real tree the
// tests build once from the archive (tests/support/debian_tree.h): the
// simulated host has no network.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "sim.h"

namespace fs = std::filesystem;

namespace sim {

int Debootstrap(State& s, const std::vector<std::string>& args) {
  std::string arch, variant = "default", keyring;
  bool no_check_gpg = false;
  std::vector<std::string> passthrough, operands;
  for (const std::string& a : args) {
    auto value = [&](const std::string& flag) { return a.substr(flag.size()); };
    if (a.rfind("--arch=", 0) == 0)
      arch = value("--arch=");
    else if (a.rfind("--variant=", 0) == 0)
      variant = value("--variant=");
    else if (a.rfind("--keyring=", 0) == 0)
      keyring = value("--keyring=");
    else if (a == "--no-check-gpg")
      no_check_gpg = true;
    else if (a.rfind("--include=", 0) == 0 || a.rfind("--exclude=", 0) == 0 ||
             a == "--merged-usr" || a == "--no-merged-usr" || a.rfind("--components=", 0) == 0) {
      passthrough.push_back(a);
      continue;
    } else if (a == "--version") {
      std::cout << "debootstrap 1.0.134_4\n";
      return 0;
    } else if (a.rfind("--", 0) == 0) {
      Fail(1, "E: unrecognized or invalid option " + a);
    } else {
      operands.push_back(a);
      continue;
    }
  }
  if (operands.size() < 2) Fail(1, "E: You must specify a suite and a target.");
  const std::string& suite = operands[0];
  std::string target = operands[1];
  std::string mirror = operands.size() > 2 ? operands[2] : "http://deb.debian.org/debian";
  if (arch.empty()) {
    // The port's patch: no dpkg, no arch file -> kfreebsd-<hw.machine_arch>.
    Fail(1,
         "I: Retrieving InRelease \nI: Checking Release signature\n"
         "E: Invalid Release file, no entry for main/binary-kfreebsd-amd64/Packages");
  }
  if (!no_check_gpg) {
    if (keyring.empty()) keyring = "/usr/local/share/keyrings/debian-archive-keyring.gpg";
    if (!Exists(s.Real(keyring))) Fail(1, "E: specified keyring file (" + keyring + ") not found");
  }
  std::string real_target = s.Resolve(target);
  fs::create_directories(real_target);

  const char* cache = std::getenv("LJAIL_SIM_DEBOOTSTRAP_CACHE");
  std::string tarball =
      cache ? std::string(cache) + "/" + suite + "-" + arch + "-" + variant + ".tar" : "";
  if (!tarball.empty() && fs::exists(tarball)) {
    std::cout
        << "I: Retrieving InRelease \nI: Checking Release signature\nI: Valid Release signature\n"
           "I: Extracting base packages (simulator cache "
        << tarball << ")...\n"
        << std::flush;
    std::string command = "tar -xpf '" + tarball + "' -C '" + real_target + "'";
    // NOLINTNEXTLINE(bugprone-command-processor): the simulator's own tar of a test's cache file
    if (std::system(command.c_str()) != 0) Fail(1, "E: extracting " + tarball + " failed");
  } else {
    // The simulated host has no network (tests/freebsd-sim/run seals it):
    // debootstrap fails as it does without one, and says what stands in.
    Fail(1, "I: Retrieving InRelease \nE: Failed getting release file " + mirror + "/dists/" +
                suite + "/InRelease (simulator: no network; LJAIL_SIM_DEBOOTSTRAP_CACHE=DIR with " +
                suite + "-" + arch + "-" + variant +
                ".tar stands in for the archive: build/test/ljail_test_tree " + suite +
                " makes one)");
  }
  // The second stage runs the tree's Linux programs: without the ABI the
  // kernel cannot execute them, and debootstrap stops with its state left.
  bool linux_loaded = false;
  for (const std::string f : s.json()["kld_files"]) linux_loaded = linux_loaded || f == "linux64";
  if (!linux_loaded) {
    fs::create_directories(real_target + "/debootstrap");
    WriteText(real_target + "/debootstrap/debootstrap.log",
              "chroot: /sbin/ldconfig: Exec format error\n");
    Fail(1, "W: Failure trying to run: chroot \"" + target +
                "\" /sbin/ldconfig\n"
                "W: See " +
                target + "/debootstrap/debootstrap.log for details");
  }
  std::cout << "I: Base system installed successfully.\n";
  return 0;
}

}  // namespace sim
