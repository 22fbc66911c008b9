// ljail_test_tree SUITE: builds the cached Debian SUITE minbase tree the
// tests use (tests/support/debian_tree.h), from the Debian archive, the one
// server outside this machine the tests may reach. ctest runs it as the
// fixture DebianTestTree.SUITE, before the sealed tests that unpack it.
// Exit 0 when the tree is there; where it cannot be built, 0 with the
// reason on a developer's machine (the tests that need it then say NOT RUN)
// and 1 in CI (LJAIL_TESTS_MUST_RUN), where everything must run.
#include <cstdlib>
#include <iostream>
#include <string>

#include "support/debian_tree.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: ljail_test_tree SUITE\n";
    return 2;
  }
  std::string why;
  std::optional<std::string> dir = ljail::testing::DebianCacheDir(&why, argv[1]);
  if (dir) {
    std::cout << *dir << "/" << argv[1] << "-amd64-minbase.tar\n";
    return 0;
  }
  const char* must = std::getenv("LJAIL_TESTS_MUST_RUN");
  std::cerr << (must && *must ? "cannot build" : "NOT RUN: cannot build") << " the " << argv[1]
            << " test tree: " << why << "\n";
  return must && *must ? 1 : 0;
}
