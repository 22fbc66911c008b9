// One check of `ljail doctor` and its verdict. The checks are made in the
// diag layer and, for what only one OS has (FreeBSD's sysctls, Linux
// capabilities), by that OS's runtime: both report in this shape.
#pragma once

#include <string>

namespace ljail {

enum class Verdict { kOk, kWarn, kFail };
const char* VerdictName(Verdict v);

struct Finding {
  std::string check;  ///< "UDP DNS to 192.168.0.1 (as admin)"
  Verdict verdict = Verdict::kOk;
  std::string evidence;  ///< what was observed
  std::string cause;     ///< why, when not ok
  std::string fix;       ///< a command, when there is one
};

}  // namespace ljail
