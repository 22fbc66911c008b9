// `ljail host check|init` on a Linux host: what the namespace runtime needs
// from the kernel and the machine, as one plan like FreeBSD's host setup.
// Checks that ljail cannot fix (root, kernel features) have an action that
// explains what to do; `host init` installs the rest (bootstrap tool,
// keyring). Storage needs no step: the first `create` makes it.
#pragma once

#include "host/host.h"
#include "host/plan.h"
#include "host/settings.h"
#include "rootfs/template_host.h"

namespace ljail::host::linux_ns {

Plan MakeLinuxHostCheck(const Host& host, const Settings& settings);

/// Templates on Linux: mmdebstrap when installed, the host apt's archive as
/// the default mirror, Debian's keyring directory, uname's architecture.
rootfs::TemplateHost TemplatePolicy();

}  // namespace ljail::host::linux_ns
