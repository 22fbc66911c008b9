// What `ljail create` does the same way on both hosts: checking the
// request, naming (and if needed building) the Linux template, the mount
// points jail(8) will need in the Linux tree, and the tree's own files.
#pragma once

#include <string>
#include <vector>

#include "core/jail_spec.h"
#include "host/host.h"
#include "host/plan.h"
#include "host/settings.h"
#include "host/storage.h"
#include "jail/config_gen.h"
#include "jail/jail_control.h"
#include "jail/tree_settings.h"
#include "rootfs/template_plan.h"

namespace ljail::jail {

struct CreateOptions {
  JailSpec spec;
  rootfs::TemplateOptions template_options;  ///< used when spec.template_key is empty
  std::string release_file;                  ///< base.txz for a missing release template (FreeBSD)
  TreeSetup setup;                           ///< what the tree's own programs set up
  /// The command line that makes this jail ("ljail create NAME ..."): kept
  /// in the jail's file as $ljail_partial while the setup steps run.
  std::string finish_command;
};

struct CreateBasis {
  JailSpec spec;  ///< checked, hostname/distro/suite filled in
  std::string template_name;
  std::vector<host::Step> template_steps;  ///< building a missing template; none otherwise
  /// After the jail's file: the tree set up with its own programs (user,
  /// packages, locale, a time zone the template lacks); none if not needed.
  std::vector<host::Step> setup_steps;
  ControlFor control;  ///< the runtime of the host the steps run on
};

/// Checks everything the user gave (exit 2, before any change): the spec,
/// the shared directories, that no jail of that name exists, the template
/// and the mount points its tree offers, the time zone (the host's when
/// not given), DNS mode, locale and account against the template's files.
/// `control` gives the setup steps the runtime of the host they run on;
/// `templates` is what the host's OS decides about building a template.
CreateBasis PrepareCreate(const host::Host& host, const Settings& settings,
                          const host::Storage& storage, const CreateOptions& options,
                          ControlFor control, const rootfs::TemplateHost& templates);

/// A package name apt can be given (name[=version] or name/release).
void ValidatePackageName(const std::string& name);

/// The directories of the Linux tree that mount lines will use.
std::vector<std::string> MountPointsInTree(const JailSpec& spec);

/// mkdir of the mount points (refusing a symbolic link on the way:
/// docs/freebsd.md §3.1); /etc/hostname, /etc/hosts, /etc/resolv.conf
/// (a regular file, per spec.dns), /etc/timezone and the /etc/localtime
/// link of the tree at `tree` (a host path).
void PrepareLinuxTree(const host::Host& host, const JailSpec& spec, const std::string& tree);
bool TreePrepared(const host::Host& host, const JailSpec& spec, const std::string& tree);

/// Appends `steps` to the plan with `prefix` before each title.
void AppendSteps(std::vector<host::Step> steps, const std::string& prefix, host::Plan* plan);

/// The last step of every create: /etc/jail.conf.d/NAME.conf, generated.
/// Written last, so a jail exists for `list` only once its tree is whole.
host::Step ConfigStep(const JailConfInput& input);

/// The jail's file, its tree's setup steps, and, when there are any, the
/// step that marks the jail whole: until it ran, the file says
/// $ljail_partial = "the create command", `list` shows the jail partial,
/// and the same create run again finishes it (issue 13).
void AppendConfigAndSetup(JailConfInput input, const CreateBasis& basis,
                          const CreateOptions& options, host::Plan* plan);

}  // namespace ljail::jail
