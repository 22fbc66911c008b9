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

/// An OS's part of `create`. MakeCreatePlan asks for it in this order,
/// and one object serves one plan, so a hook may keep what an earlier one
/// found (FreeBSD: the release, the devfs ruleset, the epair).
class CreateHooks {
 public:
  virtual ~CreateHooks() = default;
  /// Refuses what the host cannot honour and fills in the OS's defaults,
  /// before anything is read (usage error, exit 2).
  virtual void Check(CreateOptions& options) = 0;
  /// What the OS decides about building a template (rootfs::TemplateHost).
  virtual rootfs::TemplateHost Templates() const = 0;
  /// The runtime the setup steps use to start and enter the jail.
  virtual ControlFor Control() const = 0;
  /// Where the Linux tree sits in the jail's root (MakeLayout).
  virtual std::string LinuxDir(const JailSpec& spec) const = 0;
  /// Steps before the template's (a FreeBSD release, Linux's storage
  /// areas); may complete the spec (its release).
  virtual std::vector<host::Step> BeforeTemplate(JailSpec& spec, const host::Storage& storage) = 0;
  /// The plan's title, once the spec is complete.
  virtual std::string Title(const JailSpec& spec, const JailLayout& layout) const = 0;
  /// The jail's root and its prepared Linux tree, and whatever else must
  /// be there before the jail's file.
  virtual std::vector<host::Step> Tree(const CreateBasis& basis, const JailLayout& layout,
                                       const host::Storage& storage) = 0;
  /// The OS's part of the jail's file (JailConfInput::os_lines, overlay).
  virtual void File(JailConfInput& input) const = 0;
  /// Steps after everything: notes the user should read.
  virtual std::vector<host::Step> Notes(const JailSpec& /*spec*/) const { return {}; }
};

/// The one create skeleton: Check, PrepareCreate, BeforeTemplate, the
/// template's steps, Tree, the jail's file, its tree's setup steps (the
/// jail $ljail_partial until they ran, issue 13), Notes. Every step says
/// whether it is done, so the same create run again finishes one that
/// was interrupted.
host::Plan MakeCreatePlan(const host::Host& host, const Settings& settings,
                          const CreateOptions& options, CreateHooks& os);

}  // namespace ljail::jail
