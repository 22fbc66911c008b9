#include "core/safe_remove.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "support/not_run.h"
#include "support/temp_dir.h"

namespace ljail {
namespace {

using testing::TempDir;

TEST(SafeRemove, RemovesATree) {
  TempDir dir;
  dir.Write("t/a/b/c", "x");
  dir.Write("t/d", "y");
  std::filesystem::create_directory_symlink("/nonexistent", dir.Path("t/a/dangling"));
  RemoveResult r = RemoveTree(dir.Path("t"));
  EXPECT_FALSE(std::filesystem::exists(dir.Path("t")));
  EXPECT_EQ(r.removed, 6u);
  EXPECT_TRUE(r.mount_points_kept.empty());
}

// Jail root can nest directories deeper than any descriptor limit or stack:
// 30,000 levels go as any tree does (issue 13: 1,500 gave "Too many open
// files", 30,000 a segfault).
TEST(SafeRemove, RemovesATreeDeeperThanTheDescriptorLimit) {
  TempDir dir;
  std::filesystem::create_directory(dir.Path("deep"));
  int fd = ::open(dir.Path("deep").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  constexpr int kLevels = 30000;
  for (int i = 0; i < kLevels; ++i) {
    ASSERT_EQ(::mkdirat(fd, "d", 0755), 0) << i;
    int next = ::openat(fd, "d", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ASSERT_GE(next, 0) << i;
    if (i % 1000 == 0) {
      int file = ::openat(fd, "f", O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
      ASSERT_GE(file, 0);
      ::close(file);
    }
    ::close(fd);
    fd = next;
  }
  ::close(fd);
  RemoveResult r = RemoveTree(dir.Path("deep"));
  EXPECT_FALSE(std::filesystem::exists(dir.Path("deep")));
  EXPECT_EQ(r.removed, size_t{kLevels} + kLevels / 1000 + 1);
}

TEST(SafeRemove, NeverFollowsASymlink) {
  TempDir dir;
  dir.Write("precious/file", "keep me");
  dir.Write("t/x", "");
  std::filesystem::create_directory_symlink(dir.Path("precious"), dir.Path("t/link"));
  RemoveTree(dir.Path("t"));
  EXPECT_EQ(dir.Read("precious/file"), "keep me");
}

TEST(SafeRemove, KeepTopAndMissing) {
  TempDir dir;
  dir.Write("t/x", "");
  RemoveTree(dir.Path("t"), true);
  EXPECT_TRUE(std::filesystem::is_directory(dir.Path("t")));
  EXPECT_TRUE(std::filesystem::is_empty(dir.Path("t")));
  EXPECT_EQ(RemoveTree(dir.Path("nope")).removed, 0u);
}

TEST(SafeRemove, NeverEntersABindMountOfTheSameFileSystem) {
  if (::geteuid() != 0) LJAIL_NOT_RUN("needs root to bind-mount (CI runs as root)");
  TempDir dir;
  dir.Write("home/admin/.profile", "mine");
  dir.Write("jail/home/placeholder", "");
  std::filesystem::remove(dir.Path("jail/home/placeholder"));
  ASSERT_EQ(
      ::mount(dir.Path("home").c_str(), dir.Path("jail/home").c_str(), nullptr, MS_BIND, nullptr),
      0);
  RemoveResult r = RemoveTree(dir.Path("jail"));
  EXPECT_EQ(r.mount_points_kept, std::vector<std::string>({dir.Path("jail/home")}));
  EXPECT_EQ(dir.Read("home/admin/.profile"), "mine");
  ASSERT_EQ(::umount(dir.Path("jail/home").c_str()), 0);
  EXPECT_EQ(dir.Read("home/admin/.profile"), "mine");
}

}  // namespace
}  // namespace ljail
