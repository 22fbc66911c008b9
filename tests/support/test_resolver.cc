#include "support/test_resolver.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace ljail::testing {

TestResolver::TestResolver(std::string address, const std::string& udp, const std::string& tcp)
    : address_(std::move(address)) {
  const std::string program = std::string(LJAIL_SOURCE_DIR) + "/tests/support/test-dns";
  int ready[2];
  if (::pipe2(ready, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    ::dup2(ready[1], 1);
    ::close_range(3, ~0U, 0);
    std::vector<std::string> args = {program, "--udp", udp, "--tcp", tcp, address_};
    std::vector<char*> argv;
    argv.reserve(args.size() + 1);
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    ::execv(program.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(ready[1]);
  // "ready\n" once it listens; end of file if it could not start.
  std::string said;
  char c = 0;
  while (said.size() < 16 && ::read(ready[0], &c, 1) == 1 && c != '\n') said += c;
  ::close(ready[0]);
  if (said != "ready") {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
    throw std::runtime_error("tests/support/test-dns on " + address_ + " did not start");
  }
}

TestResolver::~TestResolver() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
  }
}

}  // namespace ljail::testing
