// ljail(8), docs/ljail.8: mandoc finds nothing to warn about, and every
// verb, subverb and option of the CLI definition (as `ljail completion
// bash` lists them) is in it, so the manual cannot fall behind the program.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>
#include <string>

#include "support/not_run.h"
#include "support/run_ljail.h"

namespace ljail {
namespace {

std::string Manual() {
  std::ifstream in(std::string(LJAIL_SOURCE_DIR) + "/docs/ljail.8");
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(ManualCli, MandocLintIsClean) {
  testing::RunResult which = testing::RunProgram("/bin/sh", {"-c", "command -v mandoc"});
  if (which.exit_code != 0) LJAIL_NOT_RUN("no mandoc (apt-get install mandoc)");
  testing::RunResult lint =
      testing::RunProgram("/bin/sh", {"-c", "mandoc -Tlint -W warning \"$1\"", "sh",
                                      std::string(LJAIL_SOURCE_DIR) + "/docs/ljail.8"});
  EXPECT_EQ(lint.exit_code, 0) << lint.out << lint.err;
  EXPECT_EQ(lint.out + lint.err, "");
}

TEST(ManualCli, EveryVerbAndOptionIsDocumented) {
  std::string manual = Manual();
  ASSERT_NE(manual.find(".Dt LJAIL 8"), std::string::npos);
  testing::RunResult script = testing::RunLjail({"completion", "bash"});
  ASSERT_EQ(script.exit_code, 0) << script.err;
  // The options table: "    'user add') echo '-h --help --uid ...' ;;"
  std::regex row(R"(    '([a-z ]*)'\) echo '([^']*)' ;;)");
  size_t checked = 0;
  for (std::sregex_iterator it(script.out.begin(), script.out.end(), row), end; it != end; ++it) {
    std::string path = (*it)[1], words = (*it)[2];
    if (!path.empty()) {
      std::string last = path.substr(path.rfind(' ') + 1);
      EXPECT_TRUE(manual.find("Cm " + last) != std::string::npos ||
                  manual.find("Cm " + path) != std::string::npos)
          << "no `Cm " << last << "` for ljail " << path;
    }
    std::istringstream in(words);
    for (std::string w; in >> w;) {
      if (w == "-h" || w == "--help" || !w.starts_with("-")) continue;
      EXPECT_NE(manual.find("Fl " + w.substr(1)), std::string::npos)
          << "ljail " << path << " " << w << " is not in docs/ljail.8";
      ++checked;
    }
  }
  EXPECT_GT(checked, 50u) << "the table was read";
}

}  // namespace
}  // namespace ljail
