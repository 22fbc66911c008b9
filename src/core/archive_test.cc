#include "core/archive.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "core/error.h"
#include "support/archive_fixture.h"
#include "support/temp_dir.h"

namespace ljail {
namespace {

using testing::ArchiveEntry;
using testing::TempDir;

TEST(Archive, ExtractsFilesDirectoriesLinksAndModes) {
  TempDir dir;
  testing::WriteTarball(dir.Path("base.txz"), testing::BaseTxzEntries("14.3-RELEASE"));
  std::filesystem::create_directories(dir.Path("out"));
  size_t count = 0;
  size_t n = ExtractArchive(dir.Path("base.txz"), dir.Path("out"),
                            {true, false, [&](size_t c) { count = c; }});
  EXPECT_EQ(n, testing::BaseTxzEntries("x").size());
  EXPECT_EQ(count, n);
  EXPECT_NE(dir.Read("out/bin/freebsd-version").find("USERLAND_VERSION=\"14.3-RELEASE\""),
            std::string::npos);
  struct stat st {
  }, st2{};
  ASSERT_EQ(::stat(dir.Path("out/tmp").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 01777u);
  ASSERT_EQ(::stat(dir.Path("out/usr/bin/true").c_str(), &st), 0);
  ASSERT_EQ(::stat(dir.Path("out/usr/bin/false").c_str(), &st2), 0);
  EXPECT_EQ(st.st_ino, st2.st_ino) << "hard link kept";
  EXPECT_EQ(std::filesystem::read_symlink(dir.Path("out/sys")), "usr/src/sys");
}

TEST(Archive, ReplacesWhatIsThere) {
  TempDir dir;
  testing::WriteTarball(dir.Path("a.tar"), {{"f", ArchiveEntry::kFile, "new"}});
  dir.Write("out/f", "old and longer");
  ExtractArchive(dir.Path("a.tar"), dir.Path("out"));
  EXPECT_EQ(dir.Read("out/f"), "new");
}

TEST(Archive, RefusesToEscapeTheDestination) {
  TempDir dir;
  testing::WriteTarball(dir.Path("evil.tar"), {{"../escaped", ArchiveEntry::kFile, "x"}});
  std::filesystem::create_directories(dir.Path("out"));
  EXPECT_THROW(ExtractArchive(dir.Path("evil.tar"), dir.Path("out")), Error);
  EXPECT_FALSE(std::filesystem::exists(dir.Path("escaped")));
}

TEST(Archive, NeverWritesThroughASymlink) {
  // With UNLINK, libarchive removes a symlink standing in an entry's way
  // (archive_write_disk(3), SECURE_SYMLINKS): the entry lands in the tree.
  TempDir dir;
  std::filesystem::create_directories(dir.Path("outside"));
  testing::WriteTarball(dir.Path("evil.tar"),
                        {{"link", ArchiveEntry::kSymlink, dir.Path("outside")},
                         {"link/owned", ArchiveEntry::kFile, "x"}});
  std::filesystem::create_directories(dir.Path("out"));
  ExtractArchive(dir.Path("evil.tar"), dir.Path("out"));
  EXPECT_FALSE(std::filesystem::exists(dir.Path("outside/owned")));
  EXPECT_TRUE(std::filesystem::is_directory(std::filesystem::symlink_status(dir.Path("out/link"))));
  EXPECT_EQ(dir.Read("out/link/owned"), "x");
}

TEST(Archive, MissingOrCorruptArchive) {
  TempDir dir;
  std::filesystem::create_directories(dir.Path("out"));
  EXPECT_THROW(ExtractArchive(dir.Path("nope.txz"), dir.Path("out")), Error);
  dir.Write("bad.txz", "not an archive at all");
  EXPECT_THROW(ExtractArchive(dir.Path("bad.txz"), dir.Path("out")), Error);
}

}  // namespace
}  // namespace ljail
