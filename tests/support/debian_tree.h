// A real Debian bookworm minbase tree for the tests, built once with
// mmdebstrap from the archive this machine's apt uses and cached as a tarball
// (LJAIL_TEST_CACHE, default <build>/test-cache), so that the many tests that
// need a real Linux userland do not each download one.
#pragma once

#include <optional>
#include <string>

namespace ljail::testing {

/// The directory holding bookworm-amd64-minbase.tar, built on first use
/// (under a lock: parallel tests wait for one build). nullopt, with the
/// reason in `why`, when it cannot be built (no mmdebstrap, no archive).
std::optional<std::string> DebianCacheDir(std::string* why);

}  // namespace ljail::testing
