// rctl(8) and the kernel's rule database (usr.bin/rctl/rctl.c,
// sys/kern/kern_rctl.c): -a adds, -r removes by filter, no option lists.
// Every call fails as FreeBSD's does when kern.racct.enable is 0 (GENERIC's
// default, a loader tunable the simulated host sets in state.json).
#include <cctype>
#include <iostream>
#include <set>

#include "sim.h"

namespace sim {
namespace {

const std::set<std::string>& Resources() {
  static const std::set<std::string> kResources = {
      "cputime",      "datasize", "stacksize",  "coredumpsize", "memoryuse",
      "memorylocked", "maxproc",  "openfiles",  "vmemoryuse",   "pseudoterminals",
      "swapuse",      "nthr",     "msgqqueued", "msgqsize",     "nmsgq",
      "nsem",         "nsemop",   "nshm",       "shmsize",      "wallclock",
      "pcpu",         "readbps",  "writebps",   "readiops",     "writeiops"};
  return kResources;
}

std::vector<std::string> Fields(const std::string& rule) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t colon; (colon = rule.find(':', start)) != std::string::npos; start = colon + 1)
    out.push_back(rule.substr(start, colon - start));
  out.push_back(rule.substr(start));
  return out;
}

// expand_number(3): digits and one of k m g t p e (any case).
bool ExpandNumber(const std::string& text, unsigned long long* out) {
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  if (digits == 0 || digits + 1 < text.size()) return false;
  unsigned long long n = std::stoull(text.substr(0, digits));
  if (digits < text.size()) {
    static const std::string kSuffixes = "kmgtpe";
    size_t i = kSuffixes.find(static_cast<char>(std::tolower(text[digits])));
    if (i == std::string::npos) return false;
    for (size_t k = 0; k <= i; ++k) n <<= 10;
  }
  *out = n;
  return true;
}

void RequireRacct(State& s) {
  auto& sysctls = s.json()["sysctls"];
  if (!sysctls.contains("kern.racct.enable") || sysctls["kern.racct.enable"] != "1")
    Fail(1, "rctl: RACCT/RCTL present, but disabled; enable using kern.racct.enable=1 tunable");
}

// A full rule as kern_rctl.c's rctl_string_to_rule() takes it for -a:
// jail:NAME:RESOURCE:ACTION=AMOUNT, with the amount expanded.
std::string AddableRule(const std::string& text) {
  std::vector<std::string> f = Fields(text);
  if (f.size() < 2) Fail(1, "rctl: malformed rule '" + text + "': missing subject");
  if (f[0] == "j") f[0] = "jail";
  size_t eq = f.size() == 4 ? f[3].find('=') : std::string::npos;
  unsigned long long amount = 0;
  if (f.size() != 4 || f[0] != "jail" || f[1].empty() || !Resources().count(f[2]) ||
      eq == std::string::npos) {
    Fail(1, "rctl: failed to add rule '" + text + "': Invalid argument");
  }
  std::string action = f[3].substr(0, eq);
  if (!ExpandNumber(f[3].substr(eq + 1), &amount))
    Fail(1, "rctl: malformed rule '" + text + "': invalid numeric value '" + f[3].substr(eq + 1) +
                "'");
  if (action != "deny" && action != "log" && action != "devctl" && action != "throttle" &&
      action.rfind("sig", 0) != 0)
    Fail(1, "rctl: failed to add rule '" + text + "': Invalid argument");
  return "jail:" + f[1] + ":" + f[2] + ":" + action + "=" + std::to_string(amount);
}

// A filter matches a rule when each of its non-empty fields equals the rule's.
bool Matches(const std::string& filter, const std::string& rule) {
  std::vector<std::string> f = Fields(filter), r = Fields(rule);
  if (!f.empty() && f[0] == "j") f[0] = "jail";
  std::string action = r[3].substr(0, r[3].find('='));
  for (size_t i = 0; i < f.size() && i < 4; ++i) {
    std::string want = i == 3 ? f[3].substr(0, f[3].find('=')) : f[i];
    std::string have = i == 3 ? action : r[i];
    if (!want.empty() && want != have) return false;
  }
  return true;
}

}  // namespace

int Rctl(State& s, const std::vector<std::string>& args) {
  std::vector<std::string> ops;
  auto options = GetOpt(args, "ahlnru", &ops, [](char) {
    Fail(1, "usage: rctl [ -h ] [-a rule | -l filter | -r filter | -u filter | filter]");
  });
  char mode = 0;
  for (const auto& [flag, value] : options)
    if (flag == 'a' || flag == 'r' || flag == 'l' || flag == 'u') mode = flag;
  RequireRacct(s);
  nlohmann::json& rules = s.json()["rctl"];
  if (!rules.is_array()) rules = nlohmann::json::array();
  int errors = 0;
  if (mode == 0) {
    for (const auto& r : rules) {
      std::string rule = r;
      bool shown = ops.empty();
      for (const std::string& filter : ops) shown = shown || Matches(filter, rule);
      if (shown) std::cout << rule << "\n";
    }
    return 0;
  }
  for (const std::string& op : ops) {
    if (mode == 'a') {
      std::string rule = AddableRule(op);
      // A deny rule replaces one that differs only in its amount.
      std::string key = rule.substr(0, rule.find('='));
      nlohmann::json kept = nlohmann::json::array();
      for (const auto& r : rules)
        if (std::string(r).substr(0, std::string(r).find('=')) != key) kept.push_back(r);
      kept.push_back(rule);
      rules = kept;
    } else if (mode == 'r') {
      nlohmann::json kept = nlohmann::json::array();
      for (const auto& r : rules)
        if (!Matches(op, r)) kept.push_back(r);
      if (kept.size() == rules.size()) {
        std::cerr << "rctl: failed to remove rule '" << op << "': No such process\n";
        ++errors;
      }
      rules = kept;
    } else {
      Fail(1, "freebsd-sim: rctl -" + std::string(1, mode) + " is not simulated");
    }
  }
  s.Save();
  return errors;
}

}  // namespace sim
