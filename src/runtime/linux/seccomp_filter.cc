#include "runtime/linux/seccomp_filter.h"

#include <fmt/format.h>
#include <sched.h>
#include <seccomp.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "core/error.h"

namespace ljail::host::linux_ns {
namespace {

struct ContextDeleter {
  void operator()(void* ctx) const { seccomp_release(ctx); }
};

void Check(int rc, const std::string& what) {
  // libseccomp returns -errno.
  if (rc < 0) ThrowSystem("seccomp", what, -rc);
}

}  // namespace

const std::vector<SeccompRule>& RefusedSyscalls() {
  static const std::vector<SeccompRule> kRules = {
      {"mount", "mounting: jail(8)'s default, no allow.mount"},
      {"umount2", "mounting"},
      {"pivot_root", "mounting"},
      {"move_mount", "mounting (the new mount API)"},
      {"open_tree", "mounting (the new mount API)"},
      {"fsopen", "mounting (the new mount API)"},
      {"fsconfig", "mounting (the new mount API)"},
      {"fsmount", "mounting (the new mount API)"},
      {"fspick", "mounting (the new mount API)"},
      {"mount_setattr", "mounting (the new mount API)"},
      {"swapon", "the host's swap"},
      {"swapoff", "the host's swap"},
      {"reboot", "rebooting the host"},
      {"kexec_load", "replacing the host's kernel"},
      {"kexec_file_load", "replacing the host's kernel"},
      {"init_module", "kernel modules"},
      {"finit_module", "kernel modules"},
      {"delete_module", "kernel modules"},
      {"clock_settime", "the host's clock"},
      {"clock_adjtime", "the host's clock"},
      {"settimeofday", "the host's clock"},
      {"acct", "process accounting of the host"},
      {"bpf", "BPF programs in the host's kernel"},
      {"perf_event_open", "performance counters of the host (open to users by default)"},
      {"keyctl", "kernel keyrings, which are not per jail"},
      {"add_key", "kernel keyrings, which are not per jail"},
      {"request_key", "kernel keyrings, which are not per jail"},
      {"open_by_handle_at", "files by handle, past the jail's root"},
      {"userfaultfd", "a kernel exploit primitive no jail program needs"},
      {"iopl", "I/O ports"},
      {"ioperm", "I/O ports"},
      {"syslog", "the kernel's message buffer"},
      {"quotactl", "the host's quotas"},
      {"unshare", "with CLONE_NEWUSER: a user namespace, where any user gets every capability"},
      {"clone", "with CLONE_NEWUSER: a user namespace"},
      {"clone3", "ENOSYS: its flags are out of a filter's reach (libc falls back to clone)"},
  };
  return kRules;
}

void InstallSeccompFilter() {
  std::unique_ptr<void, ContextDeleter> ctx(seccomp_init(SCMP_ACT_ALLOW));
  if (!ctx) ThrowFailure("seccomp: cannot make a filter (seccomp_init)");
  // Without no_new_privs: setuid programs keep working inside; installing
  // needs CAP_SYS_ADMIN, which the caller still has.
  Check(seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_NNP, 0), "no_new_privs off");
  // 32-bit programs of the tree get the same filter, not a kill.
  for (uint32_t arch : {SCMP_ARCH_X86, SCMP_ARCH_X32}) {
    if (seccomp_arch_native() == SCMP_ARCH_X86_64) {
      int rc = seccomp_arch_add(ctx.get(), arch);
      if (rc != -EEXIST) Check(rc, "the 32-bit architectures");
    }
  }
  for (const SeccompRule& rule : RefusedSyscalls()) {
    int number = seccomp_syscall_resolve_name(rule.syscall);
    if (number == __NR_SCMP_ERROR) continue;  // not in this kernel's ABI
    std::string what = fmt::format("refusing {}", rule.syscall);
    if (std::strcmp(rule.syscall, "clone3") == 0) {
      Check(seccomp_rule_add(ctx.get(), SCMP_ACT_ERRNO(ENOSYS), number, 0), what);
    } else if (std::strcmp(rule.syscall, "unshare") == 0 ||
               std::strcmp(rule.syscall, "clone") == 0) {
      Check(seccomp_rule_add(ctx.get(), SCMP_ACT_ERRNO(EPERM), number, 1,
                             SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER)),
            what);
    } else {
      Check(seccomp_rule_add(ctx.get(), SCMP_ACT_ERRNO(EPERM), number, 0), what);
    }
  }
  Check(seccomp_load(ctx.get()), "loading the jail's filter");
}

}  // namespace ljail::host::linux_ns
