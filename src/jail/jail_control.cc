#include "jail/jail_control.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/strings.h"

namespace ljail::jail {

std::string JailControl::ReadRunningTreeFile(const JailRecord& jail, const std::string& path,
                                             size_t limit) const {
  return RunningTree(jail).ReadFile(path, limit).value_or("");
}

TreeFs JailControl::CurrentTree(const JailRecord& jail) const {
  return IsRunning(jail) ? RunningTree(jail) : RestingTree(jail);
}

std::string JailControl::OutputInTree(const JailRecord& jail,
                                      const std::vector<std::string>& argv) const {
  host::ProcessResult r = RunInTree(jail, argv);
  return r.exit_code == 0 ? r.out : "";
}

host::ProcessResult JailControl::MustInTree(const JailRecord& jail,
                                            const std::vector<std::string>& argv,
                                            const std::string& what,
                                            const std::string& input) const {
  host::ProcessResult r = RunInTree(jail, argv, input);
  if (r.exit_code != 0) {
    std::string said = Trim(r.err.empty() ? r.out : r.err);
    ThrowFailure(fmt::format("{}: {}: {} exited {}{}", jail.name, what, argv.front(), r.exit_code,
                             said.empty() ? "" : ": " + said));
  }
  return r;
}

}  // namespace ljail::jail
