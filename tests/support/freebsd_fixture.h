// A simulated FreeBSD host with a release mirror: what the host and release
// tests start from.
#pragma once

#include <string>

#include "support/sim_host.h"

namespace ljail::testing {

/// Puts a miniature base.txz and its MANIFEST for `release` on the simulated
/// host at /mirror/releases/amd64/amd64/<release>/ and returns the sha256.
std::string PublishRelease(const SimHost& host, const std::string& release);

/// Writes a base.txz and MANIFEST into a local directory (for --from).
std::string WriteReleaseFiles(const std::string& dir, const std::string& release);

/// Points the settings' freebsd_mirror at file:///mirror.
void UseLocalMirror(const SimHost& host);

/// A listing of the simulated host: state.json plus every file under its
/// root with its type, mode and size, to compare end states.
std::string Snapshot(const SimHost& host);

/// EXPECTs two snapshots equal, showing the first lines that differ.
void ExpectSameState(const std::string& before, const std::string& after);

}  // namespace ljail::testing
