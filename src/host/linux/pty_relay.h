// A pseudo-terminal for `ljail shell`/`exec` when stdin is a terminal: the
// pair comes from the jail's own devpts (so the program inside finds its
// /dev/pts/N), and ljail copies bytes between it and the user's terminal,
// which it puts in raw mode and restores, window size changes included.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

namespace ljail::host::linux_ns {

struct PtyPair {
  int master = -1;
  int slave = -1;
};

/// Opens a pair through `ptmx` (a real path, the jail's /dev/ptmx) with the
/// window size of ljail's terminal; nullopt when the jail has no devpts.
std::optional<PtyPair> OpenPty(const std::string& ptmx);

/// Makes `slave` the controlling terminal and stdio of the calling (child)
/// process, in a session of its own.
void AttachTerminal(int slave);

/// Copies bytes between ljail's terminal and `master` until `child` ends;
/// returns its wait status.
int RelayUntilExit(int master, pid_t child);

}  // namespace ljail::host::linux_ns
