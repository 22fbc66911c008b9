#include "core/tree_fs.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "core/error.h"
#include "core/file_io.h"
#include "support/not_run.h"
#include "support/temp_dir.h"

namespace ljail {
namespace {

namespace fs = std::filesystem;

void Put(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

// Every case runs with both resolvers: openat2 (Linux) and the walk FreeBSD
// uses, so the FreeBSD path is tested here too.
class TreeFsTest : public ::testing::TestWithParam<TreeFs::Resolver> {
 protected:
  void SetUp() override {
    tree_ = fs::path(dir_.path()) / "tree";
    host_ = fs::path(dir_.path()) / "host";
    fs::create_directories(tree_ / "etc");
    Put(host_ / "secret", "host secret\n");
  }
  TreeFs Tree() const { return TreeFs::Open(tree_.string(), "/jails/t", GetParam()); }

  testing::TempDir dir_;
  fs::path tree_;
  fs::path host_;  // outside the tree: must never be read or written
};

TEST_P(TreeFsTest, ReadsARegularFileAndSaysWhenThereIsNone) {
  Put(tree_ / "etc/hostname", "web\n");
  EXPECT_EQ(Tree().ReadFile("/etc/hostname"), "web\n");
  EXPECT_EQ(Tree().ReadFile("etc/hostname"), "web\n");
  EXPECT_EQ(Tree().ReadFile("/etc/nothing"), std::nullopt);
  EXPECT_EQ(Tree().ReadFile("/nodir/nothing"), std::nullopt);
}

TEST_P(TreeFsTest, AnAbsoluteLinkResolvesInsideTheTree) {
  fs::create_symlink(host_ / "secret", tree_ / "etc/passwd");
  EXPECT_EQ(Tree().ReadFile("/etc/passwd"), std::nullopt);  // tree + host path: nothing
  Put(tree_ / host_.relative_path() / "secret", "the tree's own\n");
  EXPECT_EQ(Tree().ReadFile("/etc/passwd"), "the tree's own\n");
}

TEST_P(TreeFsTest, DotDotStopsAtTheTreesRoot) {
  fs::create_symlink("../../../../../../../../host/secret", tree_ / "etc/passwd");
  EXPECT_EQ(Tree().ReadFile("/etc/passwd"), std::nullopt);
  EXPECT_EQ(Tree().ReadFile("/../host/secret"), std::nullopt);
  Put(tree_ / "host/secret", "inside\n");
  EXPECT_EQ(Tree().ReadFile("/etc/passwd"), "inside\n");
}

TEST_P(TreeFsTest, ADirectoryLinkOutOfTheTreeIsNeverWrittenThrough) {
  fs::remove_all(tree_ / "etc");
  fs::create_symlink(host_, tree_ / "etc");
  EXPECT_THROW(Tree().WriteFile("/etc/secret", "owned\n"), Error);
  EXPECT_THROW(Tree().MakeDirectories("/etc/sub"), Error);
  EXPECT_THROW(Tree().Symlink("/x", "/etc/secret"), Error);
  EXPECT_EQ(ReadFile((host_ / "secret").string()), "host secret\n");
  EXPECT_FALSE(fs::exists(host_ / "sub"));
}

TEST_P(TreeFsTest, MakeDirectoriesThroughALinkStaysInside) {
  fs::create_symlink("/var/lib", tree_ / "lib");
  EXPECT_THROW(Tree().MakeDirectories("/lib/ljail"), Error) << "dangling, as mkdir -p";
  fs::create_directories(tree_ / "var/lib");
  Tree().MakeDirectories("/lib/ljail/x", 0700);
  EXPECT_TRUE(fs::is_directory(tree_ / "var/lib/ljail/x"));
  EXPECT_EQ(fs::status(tree_ / "var/lib/ljail/x").permissions(), fs::perms::owner_all);
  Tree().MakeDirectories("/tmp", 01777);
  EXPECT_EQ(fs::status(tree_ / "tmp").permissions(), fs::perms::all | fs::perms::sticky_bit);
}

TEST_P(TreeFsTest, WriteReplacesALinkAndKeepsAFilesMode) {
  fs::create_symlink(host_ / "secret", tree_ / "etc/resolv.conf");
  Tree().WriteFile("/etc/resolv.conf", "nameserver 127.0.0.1\n");
  EXPECT_FALSE(fs::is_symlink(tree_ / "etc/resolv.conf"));
  EXPECT_EQ(ReadFile((tree_ / "etc/resolv.conf").string()), "nameserver 127.0.0.1\n");
  EXPECT_EQ(ReadFile((host_ / "secret").string()), "host secret\n");

  Put(tree_ / "etc/shadow", "x");
  fs::permissions(tree_ / "etc/shadow", fs::perms::owner_read);
  Tree().WriteFile("/etc/shadow", "y", 0644);
  EXPECT_EQ(fs::status(tree_ / "etc/shadow").permissions(), fs::perms::owner_read);
  EXPECT_EQ(std::distance(fs::directory_iterator(tree_ / "etc"), fs::directory_iterator()), 2)
      << "no temporary file left";
}

TEST_P(TreeFsTest, LinksAreMadeAndReadNotFollowed) {
  Tree().Symlink("/usr/share/zoneinfo/UTC", "/etc/localtime");
  EXPECT_EQ(fs::read_symlink(tree_ / "etc/localtime"), "/usr/share/zoneinfo/UTC");
  EXPECT_EQ(Tree().ReadLink("/etc/localtime"), "/usr/share/zoneinfo/UTC");
  EXPECT_TRUE(Tree().Exists("/etc/localtime"));  // dangling, but there
  EXPECT_FALSE(Tree().Status("/etc/localtime"));
  EXPECT_EQ(Tree().ReadLink("/etc"), std::nullopt);
  Put(tree_ / "usr/share/zoneinfo/UTC", "TZif");
  EXPECT_EQ(Tree().ReadFile("/etc/localtime"), "TZif");
  EXPECT_TRUE(Tree().IsDirectory("/usr/share/zoneinfo"));
  EXPECT_TRUE(Tree().IsDirectory("/"));
}

TEST_P(TreeFsTest, AFifoIsRefusedWithoutWaiting) {
  ASSERT_EQ(::mkfifo((tree_ / "etc/passwd").c_str(), 0644), 0);
  EXPECT_THROW(Tree().ReadFile("/etc/passwd"), Error);
}

TEST_P(TreeFsTest, ADeviceIsNeverOpened) {
  if (::geteuid() != 0) LJAIL_NOT_RUN("mknod needs root");
  ASSERT_EQ(::mknod((tree_ / "etc/passwd").c_str(), S_IFCHR | 0644, makedev(1, 5)), 0);  // zero
  try {
    Tree().ReadFile("/etc/passwd");
    FAIL() << "a device was read";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("not a regular file"), std::string::npos) << e.what();
  }
}

TEST_P(TreeFsTest, AFileOverTheLimitIsRefused) {
  Put(tree_ / "etc/passwd", std::string(5000, 'x'));
  EXPECT_THROW(Tree().ReadFile("/etc/passwd", 4096), Error);
  EXPECT_EQ(Tree().ReadFile("/etc/passwd", 5000)->size(), 5000U);
}

TEST_P(TreeFsTest, ALinkLoopFailsInsteadOfSpinning) {
  fs::create_symlink("b", tree_ / "a");
  fs::create_symlink("a", tree_ / "b");
  EXPECT_THROW(Tree().ReadFile("/a"), Error);
  EXPECT_THROW(Tree().WriteFile("/a/x", ""), Error);
}

// Jail root swapping /etc between a directory and a link to the host while
// ljail reads: every read sees the tree or nothing, never the host file.
TEST_P(TreeFsTest, ASwapRaceNeverReachesTheHost) {
  Put(tree_ / "etc/secret", "tree secret\n");
  fs::rename(tree_ / "etc", tree_ / "etc.dir");
  fs::create_symlink("etc.dir", tree_ / "etc");
  std::atomic<bool> stop{false};
  std::thread swapper([&] {
    const std::string etc = (tree_ / "etc").string();
    const std::string tmp = (tree_ / "etc.tmp").string();
    for (bool to_host = true; !stop; to_host = !to_host) {
      // etc: a link to the host's directory, then to the tree's, each in one rename.
      (void)::unlink(tmp.c_str());
      if (::symlink(to_host ? host_.c_str() : "etc.dir", tmp.c_str()) != 0) return;
      if (::rename(tmp.c_str(), etc.c_str()) != 0) return;
      std::this_thread::yield();
    }
  });
  TreeFs tree = Tree();
  int host_reads = 0;
  int tree_reads = 0;
  int refusals = 0;
  for (int i = 0; i < 20000 || (tree_reads == 0 && i < 2000000); ++i) {
    try {
      std::optional<std::string> text = tree.ReadFile("/etc/secret");
      if (text && *text == "host secret\n") ++host_reads;
      if (text && *text == "tree secret\n") ++tree_reads;
    } catch (const Error&) {
      ++refusals;  // a component changed under the walk: refused
    }
  }
  stop = true;
  swapper.join();
  EXPECT_EQ(host_reads, 0) << "with " << refusals << " reads refused";
  EXPECT_GT(tree_reads, 0) << "the race never let a read through: it tested nothing";
}

TEST_P(TreeFsTest, TheRootMustBeADirectoryNotALink) {
  fs::create_symlink(tree_, fs::path(dir_.path()) / "alias");
  EXPECT_THROW(TreeFs::Open((fs::path(dir_.path()) / "alias").string(), "/x", GetParam()), Error);
  EXPECT_THROW(TreeFs::Open((fs::path(dir_.path()) / "none").string(), "/x", GetParam()), Error);
}

INSTANTIATE_TEST_SUITE_P(Resolvers, TreeFsTest,
                         ::testing::Values(TreeFs::Resolver::kKernel, TreeFs::Resolver::kWalk),
                         [](const ::testing::TestParamInfo<TreeFs::Resolver>& p) {
                           return p.param == TreeFs::Resolver::kKernel ? "Openat2" : "Walk";
                         });

}  // namespace
}  // namespace ljail
