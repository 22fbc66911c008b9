// `ljail completion bash`: the script bash loads, completing words as a
// user's Tab would (COMP_WORDS/COMP_CWORD, then the function), with jail
// and template names asked of the real binary.
#include <gtest/gtest.h>

#include <filesystem>

#include "support/run_ljail.h"
#include "support/temp_dir.h"

namespace ljail {
namespace {

using testing::RunLjail;
using testing::RunProgram;
using testing::TempDir;

class CompletionCli : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::RunResult script = RunLjail({"completion", "bash"});
    ASSERT_EQ(script.exit_code, 0) << script.err;
    dir_.Write("ljail.bash", script.out);
    dir_.Write("root/etc/jail.conf.d/web.conf",
               "web {\n  path = \"/var/lib/ljail/jails/containers/web/root\";\n"
               "  $ljail_distro = debian;\n}\n");
  }

  // The words bash offers for `line` (the last word is the one completed).
  std::string Complete(const std::string& line) {
    std::string bin = std::filesystem::path(LJAIL_BINARY).parent_path();
    std::string program = "PATH=" + bin + ":$PATH; . " + dir_.Path("ljail.bash") +
                          "; read -ra COMP_WORDS <<< \"$1\"; [[ $1 == *' ' ]] && "
                          "COMP_WORDS+=(''); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _ljail; "
                          "echo \"${COMPREPLY[*]}\"";
    testing::RunResult r = RunProgram("/bin/bash", {"-c", program, "bash", line});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }

  TempDir dir_;
};

TEST_F(CompletionCli, VerbsSubverbsAndOptionsComeFromTheCliDefinition) {
  EXPECT_EQ(Complete("ljail us"), "user\n");
  EXPECT_EQ(Complete("ljail user a"), "add\n");
  EXPECT_EQ(Complete("ljail --dry-run user d"), "del\n") << "global options are skipped";
  EXPECT_EQ(Complete("ljail create web --time"), "--timezone\n");
  EXPECT_EQ(Complete("ljail pkg web install --no"), "\n") << "no such option";
  std::string verbs = Complete("ljail ");
  for (const char* verb : {"conf", "create", "destroy", "start", "exec", "doctor", "completion"})
    EXPECT_NE(verbs.find(verb), std::string::npos) << verb << " in " << verbs;
}

TEST_F(CompletionCli, JailNamesAreTheHostsJailsUnderTheLinesOwnRoot) {
  std::string root = dir_.Path("root");
  EXPECT_EQ(Complete("ljail --root " + root + " start w"), "web\n");
  EXPECT_EQ(Complete("ljail --root " + root + " user add "), "web\n");
  EXPECT_EQ(Complete("ljail --root " + root + " start x"), "\n");
  testing::RunResult names = RunLjail({"--root", root, "completion", "names", "jails"});
  EXPECT_EQ(names.out, "web\n");
  EXPECT_EQ(RunLjail({"completion", "names"}).exit_code, 2);
  EXPECT_EQ(RunLjail({"completion", "fish"}).exit_code, 2);
}

TEST_F(CompletionCli, ZshLoadsTheSameFunctionThroughBashcompinit) {
  testing::RunResult zsh = RunLjail({"completion", "zsh"});
  ASSERT_EQ(zsh.exit_code, 0);
  EXPECT_TRUE(zsh.out.starts_with("#compdef ljail\n")) << zsh.out.substr(0, 80);
  EXPECT_NE(zsh.out.find("bashcompinit"), std::string::npos);
  EXPECT_NE(zsh.out.find("complete -F _ljail ljail\n"), std::string::npos);
}

}  // namespace
}  // namespace ljail
