// A pseudo-terminal for `ljail shell`/`exec` when any of ljail's standard
// descriptors is a terminal: the program inside never gets the user's own
// terminal (it could read what the user types next, or push keystrokes into
// the user's shell with TIOCSTI). The pair comes from the jail's own devpts
// (so the program inside finds its /dev/pts/N), and ljail copies bytes
// between it and the user's terminal, which it puts in raw mode and
// restores, window size changes included.
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

/// Which of ljail's descriptors 0, 1 and 2 are terminals.
struct Terminals {
  bool fd[3] = {false, false, false};
  bool any() const { return fd[0] || fd[1] || fd[2]; }
};
Terminals StandardTerminals();

/// Makes `slave` the controlling terminal of the calling (child) process,
/// in a session of its own, and its descriptor i wherever ljail's
/// descriptor i is a terminal (`on`); the others stay as they are.
void AttachTerminal(int slave, const Terminals& on);

/// Copies bytes between ljail's terminal and `master` until `child` ends:
/// ljail's stdin to the pty when stdin is a terminal, the pty's output to
/// ljail's stdout (or stderr, when only stderr is a terminal). Returns the
/// child's wait status.
int RelayUntilExit(int master, pid_t child, const Terminals& on);

}  // namespace ljail::host::linux_ns
