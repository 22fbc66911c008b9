// ljail's own template build from the Debian archive the host's apt uses,
// with signature checking: the slow path (minutes), run once in CI.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "e2e/linux_host.h"

namespace ljail::testing {
namespace {

class TemplateFromArchive : public LinuxHostTest {};

TEST_F(TemplateFromArchive, BuildsOnceWithCheckedSignaturesAndReusesTheTemplate) {
  // The keyring is a host path, so it is looked for under --root too.
  const std::string keyring = "/usr/share/keyrings/debian-archive-keyring.gpg";
  std::filesystem::create_directories(Real("/usr/share/keyrings"));
  std::filesystem::copy_file(keyring, Real(keyring));
  std::filesystem::create_directories(Real("/etc/apt"));
  std::filesystem::copy("/etc/apt", Real("/etc/apt"), std::filesystem::copy_options::recursive);
  RunResult dry = Ljail({"--dry-run", "template", "build", "debian:bookworm"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find("mmdebstrap"), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("--keyring=" + Real(keyring)), std::string::npos) << dry.out;
  RunResult build = Ljail({"template", "build", "debian:bookworm"});
  ASSERT_EQ(build.exit_code, 0) << build.out << build.err;
  RunResult again = Ljail({"template", "build", "debian:bookworm"});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_EQ(again.out.find("  do "), std::string::npos) << again.out;

  RunResult info = Ljail({"template", "list", "--json"});
  auto j = nlohmann::json::parse(info.out);
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["name"], "debian-bookworm-amd64-minbase");
  EXPECT_TRUE(j[0]["complete"].get<bool>());

  RunResult create = Ljail({"create", "demo", "--suite", "bookworm"});
  ASSERT_EQ(create.exit_code, 0) << create.out << create.err;
  EXPECT_NE(create.out.find("skip  template debian-bookworm-amd64-minbase"), std::string::npos)
      << create.out;
  ASSERT_EQ(Ljail({"start", "demo"}).exit_code, 0);
  EXPECT_EQ(Exec("demo", {"id", "-un"}, "nobody"), "nobody\n");
}

}  // namespace
}  // namespace ljail::testing
