// How a test that cannot run here says so. On a developer's machine it skips
// loudly with the reason; where LJAIL_TESTS_MUST_RUN is set (.ci/run: root,
// the archive reachable) the same condition is a failure, so that a skip
// never stands in for "works" in CI. `reason` is a stream expression
// ("text" << value), so it cannot be parenthesised.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>

// NOLINTBEGIN(bugprone-macro-parentheses)
#define LJAIL_NOT_RUN(reason)                                                  \
  do {                                                                         \
    if (const char* must = std::getenv("LJAIL_TESTS_MUST_RUN"); must && *must) \
      GTEST_FAIL() << "must run in CI but cannot: " << reason;                 \
    GTEST_SKIP() << "NOT RUN: " << reason;                                     \
  } while (false)
// NOLINTEND(bugprone-macro-parentheses)
