#include "jail/services.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/strings.h"

namespace ljail::jail {
namespace {

TEST(Services, NamesAreInitScriptNames) {
  ValidateServiceName("ssh");
  ValidateServiceName("postgresql@15-main");
  for (const char* bad : {"", "../x", "a/b", ".hidden", "-x", "a b", "a;b"})
    EXPECT_THROW(ValidateServiceName(bad), Error) << bad;
}

TEST(Services, CommandScriptIsValidShell) {
  std::string script = CommandInitScript("ticker", "sh -c 'while :; do sleep 1; done'", "admin");
  host::ProcessResult r = host::RunCaptured({"/bin/sh", "-n", "-c", script});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(script.find("COMMAND='sh -c '\\''while :; do sleep 1; done'\\'''"), std::string::npos)
      << script;
  EXPECT_NE(script.find("--chuid admin"), std::string::npos);
}

}  // namespace
}  // namespace ljail::jail
