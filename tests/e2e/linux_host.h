// The e2e fixture for the Linux runtime: real namespaces and mounts, a real
// Debian tree (mmdebstrap from the archive, cached), the real ljail binary,
// all under a private --root so that nothing of the machine is touched. It
// checks the promise the runtime makes: the host's mount table never holds
// a mount of the jail, and no keeper outlives its jail.
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "jailconf/document.h"
#include "support/run_ljail.h"
#include "support/temp_dir.h"

namespace ljail::testing {

class LinuxHostTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  /// ljail --root ROOT ARGS...
  RunResult Ljail(const std::vector<std::string>& args) const;
  /// ljail --root ROOT ARGS..., started and not waited for.
  std::unique_ptr<StartedProgram> StartLjail(const std::vector<std::string>& args) const;
  /// The same, with NAME=VALUE put in its environment first.
  RunResult LjailWithEnv(const std::string& assignment, const std::vector<std::string>& args) const;
  /// Gives the root what a real host has for time zones and template
  /// builds (a link to the machine's zoneinfo, its Debian keyring and apt
  /// sources) and a resolv.conf naming kTestResolver, the loopback address
  /// where a test runs its own resolver (TestResolver): a sealed test's
  /// jail asks nobody else.
  void GiveTheRootTheHostsFiles();
  /// The machine's own resolv.conf, for the archive tests alone: apt inside
  /// their jails reaches the Debian archive.
  void GiveTheRootTheHostsResolver();
  /// Imports the cached Debian tree of SUITE as a template; returns its
  /// name (for bookworm, also kept as template_).
  std::string ImportTemplate(const std::string& suite = "bookworm");
  /// create NAME --template T, which must succeed.
  void CreateJail(const std::string& name, const std::vector<std::string>& extra = {});
  /// stdout of `ljail exec NAME [-u USER] -- ARGV`, which must succeed.
  std::string Exec(const std::string& name, const std::vector<std::string>& argv,
                   const std::string& user = "");

  /// Edits the jail's own block of /etc/jail.conf.d/NAME.conf with the
  /// engine's editor, as an administrator would (a second block for the same
  /// jail is an error to jail(8)).
  void EditConfig(const std::string& name,
                  const std::function<void(jailconf::ConfigDocument&)>& edit);

  /// The host path under the root.
  std::string Real(const std::string& path) const { return root_->Path(path.substr(1)); }
  /// Lines of the host's /proc/self/mountinfo that mention the root.
  std::vector<std::string> HostMountsUnderRoot() const;
  /// The keeper PID recorded for a jail (0 if none).
  pid_t KeeperPid(const std::string& name) const;
  /// PIDs (host numbering) of every process in the PID namespace of `pid`.
  static std::vector<pid_t> ProcessesInNamespaceOf(pid_t pid);
  /// The first of them whose command name (comm) is `comm`, waiting up to
  /// `limit` for one to appear; 0 when none did.
  static pid_t WaitForProcessInNamespaceOf(pid_t pid, const std::string& comm,
                                           std::chrono::seconds limit);

  std::unique_ptr<TempDir> root_;
  std::string cache_dir_;
  std::string template_;
};

/// Where the tests' own resolver listens (loopback; each sealed test has a
/// loopback of its own).
inline constexpr const char* kTestResolver = "127.0.0.53";

/// A perl script for root in a jail: SIOCSIFADDR on an alias of lo
/// (minbase has no ip(8)), then a bind to the new address, which only a
/// local address allows; prints "bound", or dies naming the call.
inline constexpr const char* kSetOwnAddressScript =
    "use Socket; socket(my $s, PF_INET, SOCK_DGRAM, 0) or die qq(socket: $!\\n); "
    "ioctl($s, 0x8916, pack(q(a16 S n a4 x8), q(lo:1), AF_INET, 0, inet_aton(q(10.77.0.1)))) "
    "or die qq(SIOCSIFADDR: $!\\n); socket(my $b, PF_INET, SOCK_DGRAM, 0); "
    "bind($b, pack_sockaddr_in(0, inet_aton(q(10.77.0.1)))) or die qq(bind: $!\\n); "
    "print qq(bound\\n)";

/// True while the process exists and is not a zombie.
bool ProcessAlive(pid_t pid);

}  // namespace ljail::testing
