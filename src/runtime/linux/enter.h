// `ljail shell` / `ljail exec` on Linux: join the keeper's namespaces
// (setns; the mount namespace's root is the jail's tree), become a user of
// the tree's own passwd and group files, start from a clean environment in
// a session of its own, and run the command with its argv untouched; its
// exit status becomes ljail's.
#pragma once

#include <string>
#include <vector>

#include "host/host.h"
#include "runtime/linux/keeper.h"

namespace ljail::host::linux_ns {

struct EnterRequest {
  std::string user;               ///< name or uid in the tree; "" = root
  std::vector<std::string> argv;  ///< empty: the user's login shell
  /// Descriptors for the command's stdin, stdout and stderr; -1 = ljail's
  /// own (a terminal among them replaced by a pty of the jail's).
  int stdin_fd = -1, stdout_fd = -1, stderr_fd = -1;
};

/// Runs the request in the running jail; returns the exit status (128+N
/// when the program was killed by signal N, 127 when it cannot be found).
int RunInJail(const KeeperState& keeper, const EnterRequest& request);

/// Runs argv as `user` ("" = root) in the running jail with `input` on its
/// stdin and stdout and stderr captured. The output goes to memory files,
/// not pipes: a daemon an init script leaves behind cannot keep ljail waiting.
ProcessResult RunCapturedInJail(const KeeperState& keeper, const std::vector<std::string>& argv,
                                const std::string& input, const std::string& user = "");

}  // namespace ljail::host::linux_ns
