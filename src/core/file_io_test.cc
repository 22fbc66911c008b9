#include "core/file_io.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "core/error.h"
#include "support/temp_dir.h"

namespace ljail {
namespace {

using testing::TempDir;

TEST(FileIo, MissingFileIsNotAnError) {
  TempDir dir;
  EXPECT_FALSE(ReadFileIfExists(dir.Path("nope")).has_value());
  EXPECT_FALSE(ReadFileIfExists(dir.Path("nope/deeper")).has_value());
  EXPECT_THROW(ReadFile(dir.Path("nope")), Error);
}

TEST(FileIo, AtomicWriteCreatesAndReplaces) {
  TempDir dir;
  std::string path = dir.Path("x.conf");
  WriteFileAtomically(path, "one\n");
  EXPECT_EQ(ReadFile(path), "one\n");
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0644u);
  WriteFileAtomically(path, "two\n");
  EXPECT_EQ(ReadFile(path), "two\n");
}

TEST(FileIo, AtomicWriteKeepsTheModeAndLeavesNoTemporaryFile) {
  TempDir dir;
  std::string path = dir.Write("secret", "a");
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  WriteFileAtomically(path, "b");
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  int entries = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    (void)entry;
    ++entries;
  }
  EXPECT_EQ(entries, 1);
}

TEST(FileIo, AtomicWriteIntoAMissingDirectoryFailsCleanly) {
  TempDir dir;
  try {
    WriteFileAtomically(dir.Path("no/such/file"), "x");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kFailed);
    EXPECT_NE(std::string(e.what()).find("No such file or directory"), std::string::npos);
  }
}

}  // namespace
}  // namespace ljail
