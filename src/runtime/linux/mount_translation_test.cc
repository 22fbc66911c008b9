#include "runtime/linux/mount_translation.h"

#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/sysmacros.h>

#include "core/error.h"

namespace ljail::host::linux_ns {
namespace {

std::string UnderRoot(const std::string& p) { return "/R" + p; }

std::vector<std::string> Described(const TranslatedMount& t) {
  std::vector<std::string> out;
  out.reserve(t.ops.size());
  for (const FsOp& op : t.ops) out.push_back(DescribeOp(op));
  return out;
}

std::string RefusalOf(const std::vector<std::string>& lines, const std::string& path = "/j") {
  try {
    TranslateMounts(lines, path, UnderRoot);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kUsage);
    return e.what();
  }
  return "(accepted)";
}

TEST(TranslateMounts, HandbookSetBecomesLinuxFileSystemsInOrder) {
  auto t = TranslateMounts(
      {"devfs /j/dev devfs rw,ruleset=60 0 0", "tmpfs /j/dev/shm tmpfs rw,size=1g,mode=1777 0 0",
       "fdescfs /j/dev/fd fdescfs rw,linrdlnk 0 0", "linprocfs /j/proc linprocfs rw 0 0",
       "linsysfs /j/sys linsysfs rw 0 0", "/home /j/home nullfs ro 0 0"},
      "/j", UnderRoot);
  ASSERT_EQ(t.size(), 6u);
  auto dev = Described(t[0]);
  EXPECT_EQ(dev.front(),
            "mount -t tmpfs -o nosuid,noexec,mode=755,size=64k,nr_inodes=64 devfs /R/j/dev");
  EXPECT_NE(std::find(dev.begin(), dev.end(), "mknod -m 666 /R/j/dev/null c 1 3"), dev.end());
  EXPECT_NE(std::find(dev.begin(), dev.end(), "mknod -m 666 /R/j/dev/tty c 5 0"), dev.end());
  EXPECT_NE(std::find(dev.begin(), dev.end(),
                      "mount -t devpts -o nosuid,noexec,newinstance,ptmxmode=0666,mode=0620,gid=5 "
                      "devpts /R/j/dev/pts"),
            dev.end());
  EXPECT_NE(std::find(dev.begin(), dev.end(), "ln -s pts/ptmx /R/j/dev/ptmx"), dev.end());
  EXPECT_EQ(Described(t[1]),
            std::vector<std::string>{"mount -t tmpfs -o size=1g,mode=1777 tmpfs /R/j/dev/shm"});
  EXPECT_EQ(Described(t[2]),
            std::vector<std::string>{"rmdir /R/j/dev/fd && ln -s /proc/self/fd /R/j/dev/fd"});
  EXPECT_EQ(Described(t[3]),
            std::vector<std::string>{"mount -t proc -o nosuid,noexec,nodev linprocfs /R/j/proc"});
  EXPECT_EQ(Described(t[4]),
            std::vector<std::string>{"mount -t sysfs -o ro,nosuid,noexec,nodev linsysfs /R/j/sys"});
  EXPECT_EQ(Described(t[5]),
            (std::vector<std::string>{"mount --bind /R/home /R/j/home",
                                      "mount -o remount,bind,ro,nodev /R/j/home"}));
  EXPECT_EQ(t[5].ops[0].mount.flags,
            static_cast<unsigned long>(MS_BIND));  // not MS_REC, like nullfs
}

TEST(TranslateMounts, TmpfsOptionsAreTranslatedOrRefused) {
  auto t = TranslateMounts({"tmpfs /j/tmp tmpfs rw,mode=1777,inodes=1000,uid=0,nosuid 0 0"}, "/j",
                           UnderRoot);
  EXPECT_EQ(t[0].ops[0].mount.data, "mode=1777,nr_inodes=1000,uid=0");
  EXPECT_EQ(t[0].ops[0].mount.flags, static_cast<unsigned long>(MS_NOSUID));
  EXPECT_NE(RefusalOf({"tmpfs /j/tmp tmpfs maxfilesize=1m 0 0"}).find("option \"maxfilesize=1m\""),
            std::string::npos);
  EXPECT_NE(RefusalOf({"tmpfs /j/tmp tmpfs mode=999 0 0"}).find("mode=999"), std::string::npos);
}

TEST(TranslateMounts, OverlayOnlyOnThePathWithItsDirectoriesUnderRoot) {
  auto t = TranslateMounts({"overlay /j overlay lowerdir=/t/a:/t/b,upperdir=/u,workdir=/w 0 0"},
                           "/j", UnderRoot);
  EXPECT_EQ(t[0].ops[0].mount.data, "lowerdir=/R/t/a:/R/t/b,upperdir=/R/u,workdir=/R/w");
  EXPECT_NE(
      RefusalOf({"overlay /j/x overlay lowerdir=/a 0 0"}).find("only be mounted on the jail's"),
      std::string::npos);
  EXPECT_NE(RefusalOf({"tmpfs /j tmpfs rw 0 0"}).find("only an overlay"), std::string::npos);
  EXPECT_NE(RefusalOf({"overlay /j overlay lowerdir=rel 0 0"}).find("absolute"), std::string::npos);
}

TEST(TranslateMounts, RefusesWhatHasNoFaithfulLinuxMeaning) {
  EXPECT_NE(RefusalOf({"procfs /j/proc procfs rw 0 0"}).find("file system \"procfs\""),
            std::string::npos);
  EXPECT_NE(RefusalOf({"fdescfs /j/dev/fd fdescfs rw 0 0"}).find("earlier devfs line"),
            std::string::npos);
  EXPECT_NE(RefusalOf({"tmpfs /elsewhere tmpfs rw 0 0"}).find("outside the jail's path"),
            std::string::npos);
  EXPECT_NE(RefusalOf({"tmpfs /j/../etc tmpfs rw 0 0"}).find("\"..\" is not allowed"),
            std::string::npos);
  EXPECT_EQ(TranslateMounts({"tmpfs /j//tmp/ tmpfs rw 0 0"}, "/j", UnderRoot)[0].mount_point,
            "/j/tmp");
  EXPECT_NE(RefusalOf({"tmpfs /j/tmp"}).find("missing information"), std::string::npos);
  EXPECT_NE(RefusalOf({"tmp /j/tmp nullfs rw 0 0"}).find("absolute host directory"),
            std::string::npos);
  EXPECT_NE(RefusalOf({"tmpfs /j/tmp tmpfs rw,late 0 0"}).find("option \"late\""),
            std::string::npos);
}

TEST(TranslateMounts, EmptyLinesAreIgnoredLikeJail8) {
  EXPECT_TRUE(TranslateMounts({"", "   "}, "/j", UnderRoot).empty());
}

// With a user namespace whose root is host id 1879048192: the share and the
// overlay's layers are seen through its idmapping, ids in options are the
// namespace's as the host knows them, and a tree that is a plain directory
// is bound onto itself idmapped before anything else.
TEST(TranslateMounts, AUserNamespaceIdmapsSharesLayersAndIds) {
  const uint32_t base = 1879048192;
  auto t = TranslateMounts(
      {"overlay /j overlay lowerdir=/t,upperdir=/u/upper,workdir=/u/work 0 0",
       "devfs /j/dev devfs rw 0 0", "tmpfs /j/tmp tmpfs rw,mode=1777,uid=1000,gid=100 0 0",
       "/srv/a /j/a nullfs ro 0 0"},
      "/j", UnderRoot, base);
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(Described(t[0]).front(),
            "mount -t overlay -o nodev,lowerdir=/R/t,upperdir=/R/u/upper,workdir=/R/u/work overlay "
            "/R/j (each layer bound with X-mount.idmap=b:0:1879048192:65536)");
  auto dev = Described(t[1]);
  EXPECT_NE(std::find(dev.begin(), dev.end(),
                      "mount -t devpts -o nosuid,noexec,newinstance,ptmxmode=0666,mode=0620,"
                      "gid=1879048197 devpts /R/j/dev/pts"),
            dev.end());
  EXPECT_EQ(t[1].ops[0].mount.idmap_base, 0u) << "a tmpfs of its own is not idmapped";
  EXPECT_EQ(Described(t[2]), std::vector<std::string>{"mount -t tmpfs -o mode=1777,uid=1879049192,"
                                                      "gid=1879048292 tmpfs /R/j/tmp"});
  EXPECT_EQ(Described(t[3]),
            (std::vector<std::string>{
                "mount --bind -o X-mount.idmap=b:0:1879048192:65536 /R/srv/a /R/j/a",
                "mount -o remount,bind,ro,nodev /R/j/a"}));

  auto copy = TranslateMounts({"linprocfs /j/proc linprocfs rw 0 0"}, "/j", UnderRoot, base);
  ASSERT_EQ(copy.size(), 2u);
  EXPECT_EQ(
      Described(copy[0]),
      std::vector<std::string>{"mount --bind -o X-mount.idmap=b:0:1879048192:65536 /R/j /R/j"});
  EXPECT_EQ(TranslateMounts({}, "/j", UnderRoot, base).size(), 1u);
  EXPECT_TRUE(TranslateMounts({}, "/j", UnderRoot).empty());

  try {
    TranslateMounts({"tmpfs /j/tmp tmpfs rw,uid=70000 0 0"}, "/j", UnderRoot, base);
    ADD_FAILURE() << "a uid outside the namespace was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kUsage);
    EXPECT_NE(std::string(e.what()).find("uid=70000 is outside the jail's user namespace"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace ljail::host::linux_ns
