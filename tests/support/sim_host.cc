#include "support/sim_host.h"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace ljail::testing {

SimHost::SimHost() : state_(dir_.Path("state")) {
  ::setenv("LJAIL_BINARY", LJAIL_BINARY, 1);
  ::setenv("LJAIL_SIM_BINARY", LJAIL_SIM_BINARY, 1);
  // A fresh host made as tests/freebsd-sim/run makes one by hand, with
  // this machine's Debian keyring where host init installs it: the tests
  // of that step remove it (tests/archive/debian_keyring_archive_test.cc).
  RunResult init = Run({"true"});
  if (init.exit_code != 0) throw std::runtime_error("freebsd-sim/run failed: " + init.err);
  if (!std::filesystem::exists(Real(kSimDebianKeyring)))
    throw std::runtime_error(std::string("no ") + kSimDebianKeyring + " on the simulated host");
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
