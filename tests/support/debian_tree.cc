#include "support/debian_tree.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "support/run_ljail.h"

namespace ljail::testing {

std::optional<std::string> DebianCacheDir(std::string* why) {
  const char* env = std::getenv("LJAIL_TEST_CACHE");
  std::string dir = env && *env ? env : std::string(LJAIL_BUILD_DIR) + "/test-cache";
  std::filesystem::create_directories(dir);
  std::string tarball = dir + "/bookworm-amd64-minbase.tar";
  int lock = ::open((dir + "/.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock < 0 || ::flock(lock, LOCK_EX) != 0) {
    *why = "cannot lock " + dir;
    return std::nullopt;
  }
  if (!std::filesystem::exists(tarball)) {
    if (::geteuid() != 0) {
      *why = "building the Debian test tree needs root (mmdebstrap --mode=root); CI runs as root";
      ::close(lock);
      return std::nullopt;
    }
    RunResult r = RunProgram("/usr/bin/mmdebstrap",
                             {"--mode=root", "--variant=minbase", "--architectures=amd64",
                              "bookworm", tarball + ".part", "http://deb.debian.org/debian"});
    if (r.exit_code != 0) {
      *why =
          "mmdebstrap bookworm failed (is the Debian archive reachable?): " + r.err.substr(0, 400);
      std::filesystem::remove(tarball + ".part");
      ::close(lock);
      return std::nullopt;
    }
    std::filesystem::rename(tarball + ".part", tarball);
  }
  ::close(lock);
  return dir;
}

}  // namespace ljail::testing
