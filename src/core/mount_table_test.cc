#include "core/mount_table.h"

#include <gtest/gtest.h>

namespace ljail {
namespace {

TEST(FstabFields, DecodesOctalEscapesInTheFirstTwoFieldsOnly) {
  auto f = FstabFields("/home/my\\040files /j/a\\040b nullfs rw\\040x 0 0");
  ASSERT_EQ(f.size(), 6u);
  EXPECT_EQ(f[0], "/home/my files");
  EXPECT_EQ(f[1], "/j/a b");
  EXPECT_EQ(f[3], "rw\\040x");
}

TEST(DecodeOctalEscapes, OnlyWhatStrunvisDecodes) {
  EXPECT_EQ(DecodeOctalEscapes("a\\040b\\011c\\012d\\134e"), "a b\tc\nd\\e");
  EXPECT_EQ(DecodeOctalEscapes("back\\\\slash"), "back\\slash");
  // Not three octal digits, or above \377: kept as written.
  for (const char* kept : {"\\", "x\\", "\\04", "\\09x", "\\400", "\\abc", "\\777"})
    EXPECT_EQ(DecodeOctalEscapes(kept), kept);
  EXPECT_EQ(DecodeOctalEscapes("\\377"), "\xff");
}

TEST(ReadFstab, FieldsAndEscapes) {
  std::vector<MountEntry> m = ReadFstab(
      "zroot/ROOT/default\t/\tzfs\trw\t0 0\n"
      "/home/my\\040files\t/jails/j/home\tnullfs\trw\t0 0\n"
      "short line\n"
      "devfs\t/jails/j/dev\tdevfs\trw,ruleset=11\t0 0\n"
      "tmpfs /x tmpfs\n");
  ASSERT_EQ(m.size(), 4u);
  EXPECT_EQ(m[1].device, "/home/my files");
  EXPECT_EQ(m[1].fstype, "nullfs");
  EXPECT_EQ(m[2].options, "rw,ruleset=11");
  EXPECT_EQ(m[3].options, "");
}

TEST(ReadMountInfoLine, FieldsOptionalFieldsAndEscapes) {
  auto e = ReadMountInfoLine(
      "36 35 98:0 /mnt1 /mnt/a\\040b rw,noatime master:1 shared:7 - ext3 /dev/r\\134oot "
      "rw,errors=continue");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->device, "98:0");
  EXPECT_EQ(e->root, "/mnt1");
  EXPECT_EQ(e->mount_point, "/mnt/a b");
  EXPECT_EQ(e->fstype, "ext3");
  EXPECT_EQ(e->source, "/dev/r\\oot");
  EXPECT_EQ(e->super_options, "rw,errors=continue");
  // A mount point named "-" is not the separator.
  auto dash = ReadMountInfoLine("40 1 0:50 / - rw - tmpfs tmpfs rw");
  ASSERT_TRUE(dash);
  EXPECT_EQ(dash->mount_point, "-");
  EXPECT_EQ(dash->fstype, "tmpfs");
  for (const char* bad : {"", "36 35 98:0 / /x rw", "36 35 98:0 / /x rw - ext3", "1 2 3"})
    EXPECT_FALSE(ReadMountInfoLine(bad)) << bad;
}

#ifdef __linux__
TEST(ReadOwnMountInfo, HasTheRoot) {
  bool root = false;
  for (const MountInfoEntry& e : ReadOwnMountInfo()) root = root || e.mount_point == "/";
  EXPECT_TRUE(root);
}
#endif

}  // namespace
}  // namespace ljail
