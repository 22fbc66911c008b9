#include "jail/settable.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "jailconf/param_table.h"

namespace ljail::jail {
namespace {

const SettableParam& Row(const std::string& name) {
  for (const SettableParam& p : SettableParams()) {
    if (p.name == name) return p;
  }
  ADD_FAILURE() << name << " is not settable";
  return SettableParams().front();
}

// `ljail set` and the parameter table name the same jail parameters: a
// kSettable row has a set syntax, and a settable jail parameter is marked.
TEST(Settable, TheJailParametersAreTheTablesSettableRows) {
  std::set<std::string> marked, settable;
  for (const jailconf::ParamSpec& p : jailconf::AllParams()) {
    if (p.flags & jailconf::kSettable) marked.emplace(p.name);
  }
  for (const SettableParam& p : SettableParams()) {
    if (jailconf::FindParam(p.name)) settable.insert(p.name);
  }
  EXPECT_EQ(marked, settable);
  EXPECT_EQ(settable.count("allow.raw_sockets"), 1u);
}

TEST(Settable, RestartsForJailParametersOnly) {
  auto restarts = [](const std::string& name) { return NeedsRestart({Setting{&Row(name), "x"}}); };
  EXPECT_TRUE(restarts("ip6")) << "RDTUN";
  EXPECT_TRUE(restarts("ip4"));
  EXPECT_TRUE(restarts("ip4.addr")) << "jail(8) adds the interface aliases at creation";
  EXPECT_TRUE(restarts("allow.raw_sockets")) << "Linux: the keeper's bounding set";
  EXPECT_FALSE(restarts("dns"));
  EXPECT_FALSE(restarts("memoryuse"));
  EXPECT_FALSE(NeedsRestart({}));
  EXPECT_TRUE(NeedsRestart({Setting{&Row("dns"), "copy"}, Setting{&Row("ip6"), "inherit"}}));
}

}  // namespace
}  // namespace ljail::jail
