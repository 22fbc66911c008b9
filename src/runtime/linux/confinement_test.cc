#include "runtime/linux/confinement.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "jailconf/param_table.h"

namespace ljail::host::linux_ns {
namespace {

std::set<std::string> Dropped(const Allowances& allowed) {
  std::set<std::string> names;
  for (const DroppedCapability& c : DroppedCapabilities(allowed)) names.insert(c.name);
  return names;
}

// The parameter table's capability column is what confinement does: each
// capability it names is dropped unless its parameter is set.
TEST(Confinement, TheTablesCapabilitiesFollowTheirParameters) {
  std::set<std::string> none = Dropped({}), all = Dropped({.vnet = true, .raw_sockets = true});
  size_t named = 0;
  for (const jailconf::ParamSpec& p : jailconf::AllParams()) {
    if (p.linux_capability.empty()) continue;
    ++named;
    std::string cap(p.linux_capability);
    EXPECT_EQ(none.count(cap), 1u) << cap << " is dropped without " << p.name;
    EXPECT_EQ(all.count(cap), 0u) << cap << " is kept with " << p.name;
  }
  EXPECT_EQ(named, 2u);
  EXPECT_EQ(none.size() - all.size(), named) << "no capability depends on anything else";
  EXPECT_EQ(all.count("CAP_SYS_ADMIN"), 1u) << "nothing gives mount(2) back";
}

}  // namespace
}  // namespace ljail::host::linux_ns
