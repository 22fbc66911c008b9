#include "rootfs/apt_sources.h"

#include <gtest/gtest.h>

namespace ljail::rootfs {
namespace {

TEST(AptSources, Deb822PicksTheReleaseSuiteNotSecurity) {
  auto s = ParseDeb822Sources(
      "Types: deb\nURIs: http://deb.debian.org/debian-security\nSuites: bookworm-security\n"
      "Components: main\n\n"
      "# a comment\nTypes: deb deb-src\nURIs: http://mirror.example/debian/\n"
      "Suites: bookworm bookworm-updates\nComponents: main\n\n"
      "Types: deb\nEnabled: no\nURIs: http://old.example/debian\nSuites: bookworm\n");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(ArchiveFor(s, "debian"), "http://mirror.example/debian");
  EXPECT_EQ(ArchiveFor(s, "ubuntu"), "");
}

TEST(AptSources, OneLineWithOptionsAndComments) {
  auto s = ParseOneLineSources(
      "# deb http://commented.example/debian bookworm main\n"
      "deb [arch=amd64 signed-by=/k.gpg] http://archive.ubuntu.com/ubuntu noble main\n"
      "deb-src http://src.example/ubuntu noble main\n"
      "deb https://packages.cloud.google.com/apt cloud-sdk-bookworm main\n");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(ArchiveFor(s, "ubuntu"), "http://archive.ubuntu.com/ubuntu");
  EXPECT_EQ(ArchiveFor(s, "debian"), "");  // cloud-sdk-bookworm is not a Debian suite
}

TEST(AptSources, ContinuationLinesInDeb822) {
  auto s = ParseDeb822Sources("Types: deb\nURIs:\n http://a.example/debian\nSuites: trixie\n");
  EXPECT_EQ(ArchiveFor(s, "debian"), "http://a.example/debian");
}

}  // namespace
}  // namespace ljail::rootfs
