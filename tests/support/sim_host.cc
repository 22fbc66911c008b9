#include "support/sim_host.h"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace ljail::testing {

SimHost::SimHost() : state_(dir_.Path("state")) {
  ::setenv("LJAIL_BINARY", LJAIL_BINARY, 1);
  ::setenv("LJAIL_SIM_BINARY", LJAIL_SIM_BINARY, 1);
  RunResult init = RunProgram(LJAIL_SIM_BINARY, {"--init", state_});
  if (init.exit_code != 0) throw std::runtime_error("freebsd-sim --init failed: " + init.err);
  // Debian's keyring where host init installs it, as this Debian machine
  // has it, so that host init has no package to fetch: the tests of that
  // step remove it (tests/archive/debian_keyring_test.cc).
  std::filesystem::create_directories(Real("/usr/local/share/keyrings"));
  std::filesystem::copy_file("/usr/share/keyrings/debian-archive-keyring.gpg",
                             Real(kSimDebianKeyring));
}

RunResult SimHost::Run(const std::vector<std::string>& args) const {
  std::vector<std::string> full = {"--state", state_};
  full.insert(full.end(), args.begin(), args.end());
  return RunProgram(LJAIL_SIM_RUN, full);
}

RunResult SimHost::Ljail(const std::vector<std::string>& args) const {
  std::vector<std::string> full = {"ljail"};
  full.insert(full.end(), args.begin(), args.end());
  return Run(full);
}

std::string SimHost::Real(const std::string& host_path) const {
  return state_ + "/root" + host_path;
}

void SimHost::Write(const std::string& host_path, const std::string& content) const {
  std::filesystem::create_directories(std::filesystem::path(Real(host_path)).parent_path());
  dir_.Write("state/root" + host_path, content);
}

std::string SimHost::Read(const std::string& host_path) const {
  return dir_.Read("state/root" + host_path);
}

}  // namespace ljail::testing
