#include "support/run_ljail.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

namespace ljail::testing {
namespace {

std::string ReadAll(FILE* file) {
  std::string out;
  (void)std::fflush(file);
  if (std::fseek(file, 0, SEEK_SET) != 0) return out;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) out.append(buffer, n);
  return out;
}

}  // namespace

StartedProgram::StartedProgram(const std::string& program, const std::vector<std::string>& args) {
  // Temporary files rather than pipes: no deadlock however much is printed.
  out_ = std::tmpfile();
  err_ = std::tmpfile();
  if (!out_ || !err_) throw std::runtime_error("tmpfile failed");
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    int null = ::open("/dev/null", O_RDONLY);
    ::dup2(null, 0);
    ::dup2(::fileno(out_), 1);
    ::dup2(::fileno(err_), 2);
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
}

StartedProgram::~StartedProgram() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    (void)Wait();
  }
  if (out_) (void)std::fclose(out_);
  if (err_) (void)std::fclose(err_);
}

std::string StartedProgram::OutSoFar() const {
  // The child writes through its own descriptor; read at our own offset.
  std::string text;
  char buffer[4096];
  off_t at = 0;
  for (ssize_t n; (n = ::pread(::fileno(out_), buffer, sizeof buffer, at)) > 0; at += n)
    text.append(buffer, static_cast<size_t>(n));
  return text;
}

bool StartedProgram::Running() const {
  siginfo_t ended{};
  return pid_ > 0 &&
         !(::waitid(P_PID, static_cast<id_t>(pid_), &ended, WEXITED | WNOHANG | WNOWAIT) == 0 &&
           ended.si_pid == pid_);
}

RunResult StartedProgram::Wait() {
  RunResult result;
  if (pid_ <= 0) return result;
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0) {
  }
  pid_ = -1;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = ReadAll(out_);
  result.err = ReadAll(err_);
  return result;
}

RunResult RunProgram(const std::string& program, const std::vector<std::string>& args) {
  return StartedProgram(program, args).Wait();
}

RunResult RunLjail(const std::vector<std::string>& args) { return RunProgram(LJAIL_BINARY, args); }

}  // namespace ljail::testing
