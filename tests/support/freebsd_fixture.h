// A simulated FreeBSD host with a release mirror: what the host and release
// tests start from.
#pragma once

#include <string>

#include "support/sim_host.h"

namespace ljail::testing {

// Releases are published by tests/freebsd-sim/prepare, the helper that
// makes a simulated host by hand.

/// Puts a miniature base.txz and its MANIFEST for `release` on the simulated
/// host at /mirror/releases/amd64/amd64/<release>/ and returns the sha256.
std::string PublishRelease(const SimHost& host, const std::string& release);

/// Writes a base.txz and MANIFEST into a local directory (for --from).
std::string WriteReleaseFiles(const std::string& dir, const std::string& release);

/// A FreeBSD-base repository for `release` ("15.0-RELEASE", or
/// "15.0-RELEASE-p1" for its patch level 1), its signing key trusted in
/// /usr/share/keys/pkgbase-15, and freebsd_pkg_mirror pointing at it.
void PublishPkgbase(const SimHost& host, const std::string& release);

/// Sets KEY = "VALUE" in the host's /usr/local/etc/ljail.conf.
void SetSetting(const SimHost& host, const std::string& key, const std::string& value);

/// Points the settings' freebsd_mirror at file:///mirror.
void UseLocalMirror(const SimHost& host);

/// A listing of the simulated host: state.json plus every file under its
/// root with its type, mode and size, to compare end states.
std::string Snapshot(const SimHost& host);

/// EXPECTs two snapshots equal, showing the first lines that differ.
void ExpectSameState(const std::string& before, const std::string& after);

}  // namespace ljail::testing
