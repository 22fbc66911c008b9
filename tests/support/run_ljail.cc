#include "support/run_ljail.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace ljail::testing {
namespace {

std::string ReadAll(FILE* file) {
  std::string out;
  std::rewind(file);
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) out.append(buffer, n);
  return out;
}

}  // namespace

RunResult RunProgram(const std::string& program, const std::vector<std::string>& args) {
  // Temporary files rather than pipes: no deadlock however much is printed.
  FILE* out = std::tmpfile();
  FILE* err = std::tmpfile();
  if (!out || !err) throw std::runtime_error("tmpfile failed");
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    int null = ::open("/dev/null", O_RDONLY);
    ::dup2(null, 0);
    ::dup2(::fileno(out), 1);
    ::dup2(::fileno(err), 2);
    // Nothing of the test process (ctest's pipes, the cache lock) reaches
    // the program: mmdebstrap's apt hook fails on a descriptor above 9.
    ::close_range(3, ~0U, 0);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(program.c_str()));
    for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    ::execv(program.c_str(), argv.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
  }
  RunResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = ReadAll(out);
  result.err = ReadAll(err);
  (void)std::fclose(out);
  (void)std::fclose(err);
  return result;
}

RunResult RunLjail(const std::vector<std::string>& args) { return RunProgram(LJAIL_BINARY, args); }

}  // namespace ljail::testing
