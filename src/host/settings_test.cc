#include "host/settings.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "support/temp_dir.h"

namespace ljail {
namespace {

using testing::TempDir;

std::string UsageError(const TempDir& dir) {
  try {
    LoadSettings(RootFs(dir.path()));
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kUsage);
    return e.what();
  }
  return "<no error>";
}

TEST(Settings, MissingFileGivesDefaults) {
  TempDir dir;
  bool found = true;
  Settings s = LoadSettings(RootFs(dir.path()), &found);
  EXPECT_FALSE(found);
  EXPECT_EQ(s.jails_dir, "/usr/local/jails");
  EXPECT_FALSE(s.uses_zfs());
}

TEST(Settings, RenderedFileReadsBack) {
  TempDir dir;
  Settings s;
  s.zfs_root = "zroot/jails";
  s.release = "14.3-RELEASE";
  s.freebsd_mirror = "file:///mirror";
  dir.Write("usr/local/etc/ljail.conf", RenderSettings(s));
  bool found = false;
  Settings back = LoadSettings(RootFs(dir.path()), &found);
  EXPECT_TRUE(found);
  EXPECT_EQ(back.zfs_root, "zroot/jails");
  EXPECT_EQ(back.Dataset("templates"), "zroot/jails/templates");
  EXPECT_EQ(back.Dir("containers"), "/usr/local/jails/containers");
  EXPECT_EQ(back.release, "14.3-RELEASE");
  EXPECT_EQ(back.freebsd_mirror, "file:///mirror");
}

TEST(Settings, VariablesWork) {
  TempDir dir;
  dir.Write("usr/local/etc/ljail.conf", "$pool = zroot;\nzfs_root = \"$pool/jails\";\n");
  EXPECT_EQ(LoadSettings(RootFs(dir.path())).zfs_root, "zroot/jails");
}

TEST(Settings, UnknownKeyIsAUsageErrorWithASuggestion) {
  TempDir dir;
  dir.Write("usr/local/etc/ljail.conf", "jails_dir = /j;\nzfs_rot = zroot/j;\n");
  EXPECT_EQ(UsageError(dir),
            "/usr/local/etc/ljail.conf line 2: unknown setting \"zfs_rot\"; did you mean zfs_root? "
            "(known: zfs_root, jails_dir, release, arch, freebsd_mirror, freebsd_pkg_mirror, "
            "debian_mirror, "
            "ubuntu_mirror)");
}

TEST(Settings, BadValues) {
  TempDir dir;
  dir.Write("usr/local/etc/ljail.conf", "jails_dir = relative/path;\n");
  EXPECT_EQ(UsageError(dir),
            "/usr/local/etc/ljail.conf: jails_dir \"relative/path\": expected an "
            "absolute directory such as /usr/local/jails");
  dir.Write("usr/local/etc/ljail.conf", "zfs_root = \"zroot//x\";\n");
  EXPECT_NE(UsageError(dir).find("not a ZFS dataset name"), std::string::npos);
  dir.Write("usr/local/etc/ljail.conf", "release = 14.3;\n");
  EXPECT_NE(UsageError(dir).find("expected a release name such as 14.3-RELEASE"),
            std::string::npos);
  dir.Write("usr/local/etc/ljail.conf", "arch = i386;\n");
  EXPECT_NE(UsageError(dir).find("expected amd64 or arm64"), std::string::npos);
  dir.Write("usr/local/etc/ljail.conf", "freebsd_mirror = download.freebsd.org;\n");
  EXPECT_NE(UsageError(dir).find("expected an http(s), ftp or file URL"), std::string::npos);
}

TEST(Settings, JailBlocksAreNotSettings) {
  TempDir dir;
  dir.Write("usr/local/etc/ljail.conf", "web { path = /x; }\n");
  EXPECT_EQ(UsageError(dir),
            "/usr/local/etc/ljail.conf line 1: the settings file holds settings, not jail \"web\"");
}

TEST(Settings, SyntaxErrorsAreUsageErrors) {
  TempDir dir;
  dir.Write("usr/local/etc/ljail.conf", "zfs_root = ;\n");
  EXPECT_EQ(UsageError(dir),
            "/usr/local/etc/ljail.conf line 1: ;: syntax error\nin the settings file");
}

TEST(Settings, Names) {
  EXPECT_TRUE(IsReleaseName("14.3-RELEASE"));
  EXPECT_TRUE(IsReleaseName("15.0-RC2"));
  EXPECT_FALSE(IsReleaseName("14.3"));
  EXPECT_FALSE(IsReleaseName("14.3-RELEASE-p2"));
  EXPECT_FALSE(IsReleaseName("../14.3-RELEASE"));
  EXPECT_TRUE(IsDatasetName("zroot/jails"));
  EXPECT_FALSE(IsDatasetName("/zroot"));
  EXPECT_FALSE(IsDatasetName("zroot/"));
  EXPECT_FALSE(IsDatasetName("zroot/a b"));
}

}  // namespace
}  // namespace ljail
