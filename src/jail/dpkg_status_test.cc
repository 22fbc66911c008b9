#include "jail/dpkg_status.h"

#include <gtest/gtest.h>

namespace ljail::jail {
namespace {

constexpr const char* kStatus =
    "Package: curl\n"
    "Status: install ok installed\n"
    "Description: a tool\n"
    " Status: not a field, a continuation line\n"
    "\n"
    "Package: hello\n"
    "Status: install ok unpacked\n"
    "\n"
    "Package: sl\n"
    "Status: deinstall ok config-files\n"
    "\n"
    "Package: sudo\n"
    "Status: hold ok installed\n"
    "\n"
    "Package: libc6\n"
    "Architecture: amd64\n"
    "Status: install ok installed\n";

TEST(DpkgStatus, OnlyPackagesWhoseStatusSaysInstalled) {
  EXPECT_EQ(InstalledPackages(kStatus), (std::set<std::string>{"curl", "libc6", "sudo"}));
  EXPECT_EQ(InstalledPackages(""), std::set<std::string>{});
  EXPECT_EQ(InstalledPackages("Package: x\nStatus: install ok installed"),
            std::set<std::string>{"x"})
      << "the last stanza needs no blank line after it";
}

TEST(DpkgStatus, ARequestWithAVersionOrReleaseIsNeverMetByTheName) {
  std::set<std::string> installed = InstalledPackages(kStatus);
  EXPECT_TRUE(IsInstalled(installed, "curl"));
  EXPECT_FALSE(IsInstalled(installed, "hello")) << "unpacked is not installed";
  EXPECT_FALSE(IsInstalled(installed, "curl=7.88.1-10"));
  EXPECT_FALSE(IsInstalled(installed, "curl/bookworm-backports"));
  EXPECT_FALSE(IsInstalled(installed, "libc6:amd64"));
  EXPECT_FALSE(IsInstalled(installed, "wget"));
}

}  // namespace
}  // namespace ljail::jail
