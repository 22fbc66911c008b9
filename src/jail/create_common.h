// What `ljail create` does the same way on both hosts: checking the
// request, naming (and if needed building) the Linux template, the mount
// points jail(8) will need in the Linux tree, and the tree's own files.
#pragma once

#include <string>
#include <vector>

#include "core/jail_spec.h"
#include "core/settings.h"
#include "host/host.h"
#include "host/plan.h"
#include "host/storage.h"
#include "jail/config_gen.h"
#include "rootfs/template_plan.h"

namespace ljail::jail {

struct CreateOptions {
  JailSpec spec;
  rootfs::TemplateOptions template_options;  ///< used when spec.template_key is empty
  std::string release_file;                  ///< base.txz for a missing release template (FreeBSD)
};

struct CreateBasis {
  JailSpec spec;  ///< checked, hostname/distro/suite filled in
  std::string template_name;
  std::vector<host::Step> template_steps;  ///< building a missing template; none otherwise
};

/// Checks everything the user gave (exit 2, before any change): the spec,
/// the shared directories, that no jail of that name exists, the template
/// and the mount points its tree offers.
CreateBasis PrepareCreate(const host::Host& host, const Settings& settings,
                          const host::Storage& storage, const CreateOptions& options);

/// The directories of the Linux tree that mount lines will use.
std::vector<std::string> MountPointsInTree(const JailSpec& spec);

/// mkdir of the mount points (refusing a symbolic link on the way:
/// freebsd-facts.md §3.1); /etc/hostname, /etc/hosts and /etc/resolv.conf
/// of the tree at `tree` (a host path).
void PrepareLinuxTree(const host::Host& host, const JailSpec& spec, const std::string& tree);
bool TreePrepared(const host::Host& host, const JailSpec& spec, const std::string& tree);

/// Appends `steps` to the plan with `prefix` before each title.
void AppendSteps(std::vector<host::Step> steps, const std::string& prefix, host::Plan* plan);

/// The last step of every create: /etc/jail.conf.d/NAME.conf, generated.
/// Written last, so a jail exists for `list` only once its tree is whole.
host::Step ConfigStep(const JailConfInput& input);

}  // namespace ljail::jail
