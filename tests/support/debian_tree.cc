#include "support/debian_tree.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "host/host.h"
#include "rootfs/apt_sources.h"
#include "support/run_ljail.h"

namespace ljail::testing {
namespace {

// The archive the machine's apt already reaches (CI may only reach a local
// mirror); deb.debian.org when apt names no Debian archive.
std::string DebianArchive() {
  host::Host machine(RootFs("/"), host::HostOs::kLinux);
  std::string uri = rootfs::HostAptArchive(machine, "debian");
  return uri.empty() ? "http://deb.debian.org/debian" : uri;
}

}  // namespace

std::optional<std::string> DebianCacheDir(std::string* why, const std::string& suite) {
  const char* env = std::getenv("LJAIL_TEST_CACHE");
  std::string dir = env && *env ? env : std::string(LJAIL_BUILD_DIR) + "/test-cache";
  std::filesystem::create_directories(dir);
  std::string tarball = dir + "/" + suite + "-amd64-minbase.tar";
  int lock = ::open((dir + "/." + suite + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock < 0 || ::flock(lock, LOCK_EX) != 0) {
    *why = "cannot lock " + dir;
    return std::nullopt;
  }
  if (!std::filesystem::is_regular_file(tarball)) {
    if (const char* sealed = std::getenv("LJAIL_SEALED_NET"); sealed && *sealed) {
      *why = "no " + tarball +
             ", and this test is sealed from the network: ctest builds it first"
             " (the DebianTestTree." +
             suite + " fixture; ctest -R 'DebianTestTree|TEST')";
      ::close(lock);
      return std::nullopt;
    }
    if (::geteuid() != 0) {
      *why = "building the Debian test tree needs root (mmdebstrap --mode=root); CI runs as root";
      ::close(lock);
      return std::nullopt;
    }
    // A partial result of an interrupted run is never reused.
    std::string part = tarball + ".part";
    std::filesystem::remove_all(part);
    std::filesystem::remove_all(tarball);
    // --format=tar: the name ends in .part, so mmdebstrap must not guess a
    // directory (which would also need mknod on the host).
    // Without manual pages, translations and documentation (dpkg
    // path-exclude, as Debian's slim container images): a third less to
    // unpack and copy for every jail a test makes; nothing ljail reads.
    RunResult r = RunProgram(
        "/usr/bin/mmdebstrap",
        {"--mode=root", "--format=tar", "--variant=minbase", "--architectures=amd64",
         "--dpkgopt=path-exclude=/usr/share/man/*", "--dpkgopt=path-exclude=/usr/share/doc/*",
         "--dpkgopt=path-exclude=/usr/share/locale/*",
         "--dpkgopt=path-include=/usr/share/locale/locale.alias", suite, part, DebianArchive()});
    if (r.exit_code != 0) {
      std::string err = r.err.size() > 2000 ? r.err.substr(r.err.size() - 2000) : r.err;
      *why = "mmdebstrap " + suite + " failed (exit " + std::to_string(r.exit_code) +
             "; is the Debian archive reachable?):\n" + err;
      std::filesystem::remove_all(part);
      ::close(lock);
      return std::nullopt;
    }
    std::filesystem::rename(part, tarball);
  }
  ::close(lock);
  return dir;
}

}  // namespace ljail::testing
