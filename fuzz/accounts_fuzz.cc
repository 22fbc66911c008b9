// libFuzzer target for the readers of a tree's /etc/passwd and /etc/group,
// which jail root writes and ljail reads on the host (issue 13): any bytes
// must give a user or none, and an account plan or a usage error, without a
// crash, a hang or a sanitizer report. The input is passwd, a NUL, group.
//
//   cmake -DLJAIL_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ ...; ./accounts_fuzz fuzz/accounts
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.h"
#include "jail/linux_account.h"
#include "jail/linux_users.h"

namespace {

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  size_t nul = input.find('\0');
  std::string passwd = input.substr(0, nul);
  std::string group = nul == std::string::npos ? "" : input.substr(nul + 1);
  for (const char* who : {"root", "admin", "0", "1000", "4294967295", "4294967296"}) {
    if (auto user = ljail::jail::FindLinuxUser(passwd, group, who)) {
      Check(!user->name.empty());
      Check(user->uid != static_cast<uid_t>(-1));  // (uid_t)-1 is chown's "no change"
      Check(!user->groups.empty() && user->groups.front() == user->gid);
    }
  }
  ljail::jail::AccountRequest request;
  request.name = "admin";
  request.home_from_host = true;
  try {
    ljail::jail::AccountPlan plan = ljail::jail::PlanAccount(request, passwd, group, passwd);
    Check(plan.uid != 0 && plan.uid != static_cast<uid_t>(-1));
  } catch (const ljail::Error& e) {
    Check(e.code() == ljail::ExitCode::kUsage);
  }
  return 0;
}
