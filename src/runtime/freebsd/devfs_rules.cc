#include "runtime/freebsd/devfs_rules.h"

#include <fmt/format.h>

#include <regex>
#include <set>

#include "core/strings.h"

namespace ljail::host::freebsd {

DevfsRuleset PlanDevfsRuleset(const Host& host) {
  std::string text = host.ReadFile("/etc/devfs.rules").value_or("");
  std::set<int> used = {1, 2, 3, 4};  // /etc/defaults/devfs.rules
  DevfsRuleset out;
  static const std::regex kSection("^\\s*\\[([A-Za-z0-9_]+)=([0-9]+)\\]");
  for (const std::string& line : SplitLines(text)) {
    std::smatch m;
    if (!std::regex_search(line, m, kSection)) continue;
    int number = std::stoi(m[2]);
    used.insert(number);
    if (m[1] == kLjailRulesetName) out.number = number;
  }
  bool present = out.number != 0;
  if (!present) {
    out.number = 51;
    while (used.count(out.number)) ++out.number;
  }
  // `devfs rule -s N show` lists a loaded ruleset; nothing means not loaded.
  ProcessResult shown = host.Run({"devfs", "rule", "-s", std::to_string(out.number), "show"});
  bool loaded = present && shown.ok() && !Trim(shown.out).empty();
  out.step = {
      fmt::format("devfs ruleset {} ({}) for the Linux /dev", out.number, kLjailRulesetName),
      loaded,
      "",
      {}};
  if (!present) {
    std::string updated = text;
    if (!updated.empty() && !updated.ends_with('\n')) updated += '\n';
    updated += fmt::format(
        "\n# Written by ljail: the Linux tree's /dev in ljail's jails. The jail ruleset,\n"
        "# plus the shm directory the Linux ABI creates (ruleset 4 hides it, and a\n"
        "# tmpfs on /dev/shm then has nowhere to go).\n"
        "[{}={}]\n"
        "add include $devfsrules_jail\n"
        "add path 'shm' unhide\n"
        "add path 'shm/*' unhide\n",
        kLjailRulesetName, out.number);
    out.step.detail = "not in /etc/devfs.rules";
    out.step.actions.push_back(Action::Write("/etc/devfs.rules", updated));
  } else if (!loaded) {
    out.step.detail = "in /etc/devfs.rules, not loaded";
  }
  if (!loaded) out.step.actions.push_back(Action::Run({"service", "devfs", "restart"}));
  return out;
}

}  // namespace ljail::host::freebsd
