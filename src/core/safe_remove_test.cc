#include "core/safe_remove.h"

#include <gtest/gtest.h>
#include <sys/mount.h>
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
