// `ljail create NAME` on Linux: the same request, template and jail.conf
// file as on FreeBSD, with the jail's path being the Linux tree itself,
// cloned from the template in O(1): an overlay (template read-only below,
// the jail's changes in upper/), a ZFS clone, or as a last resort a copy
// (reflinked where the file system can), which the plan says.
#pragma once

#include <string>

#include "host/host.h"
#include "host/plan.h"
#include "host/settings.h"
#include "jail/create_common.h"

namespace ljail::host::linux_ns {

enum class CloneMethod { kOverlay, kZfs, kCopy };

struct CloneChoice {
  CloneMethod method = CloneMethod::kOverlay;
  std::string why;  ///< why not overlay, for kCopy
};

/// How new jails are cloned from their template on this host.
CloneChoice ChooseCloneMethod(const Host& host, const Settings& settings);

Plan MakeCreatePlan(const Host& host, const Settings& settings, const jail::CreateOptions& options);

}  // namespace ljail::host::linux_ns
