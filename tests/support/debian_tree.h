// Real Debian minbase trees for the tests (bookworm, trixie), built once with
// mmdebstrap from the archive this machine's apt uses and cached as tarballs
// (LJAIL_TEST_CACHE, default <build>/test-cache), so that the many tests that
// need a real Linux userland do not each download one. ctest builds them
// first, outside the network seal (the DebianTestTree.* fixtures, program
// tests/archive/test_tree_main.cc); a sealed test only finds them.
#pragma once

#include <optional>
#include <string>

namespace ljail::testing {

/// The directory holding SUITE-amd64-minbase.tar, built on first use when
/// the network allows it (under a lock per suite: parallel callers wait for
/// one build). nullopt, with the reason in `why`, when it cannot be had (no
/// root, no archive, or a sealed test whose fixture did not build it).
std::optional<std::string> DebianCacheDir(std::string* why, const std::string& suite = "bookworm");

}  // namespace ljail::testing
