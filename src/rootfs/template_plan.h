// Building, listing and removing Linux templates (`ljail template ...`),
// for FreeBSD (debootstrap) and Linux (mmdebstrap, else debootstrap) hosts.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "host/host.h"
#include "host/plan.h"
#include "host/settings.h"
#include "host/storage.h"
#include "rootfs/manifest.h"
#include "rootfs/template_host.h"
#include "rootfs/template_key.h"

namespace ljail::rootfs {

struct TemplateRequest {
  TemplateKey key;
  std::string name;     ///< storage name without "templates/"
  std::string tarball;  ///< import this rootfs tarball instead of bootstrapping
  std::string keyring;  ///< host path
  bool check_gpg = true;
  TemplateHost os;  ///< what the host's OS decides about the build
};

struct TemplateOptions {
  std::string distro_suite;  ///< "debian:bookworm"
  std::string arch;          ///< Debian's name; "" = the host's
  std::string variant = "minbase";
  std::vector<std::string> include;
  std::string mirror;  ///< "" = the settings' mirror for the distro
  std::string tarball;
  std::string keyring;  ///< "" = the distro's default keyring
  bool no_check_gpg = false;
};

/// Checks the options (exit 2 on bad input: unknown suite, missing keyring
/// or tarball...) and resolves the defaults; `os` comes from the runtime.
TemplateRequest MakeTemplateRequest(const host::Host& host, const Settings& settings,
                                    const TemplateOptions& options, const TemplateHost& os);

/// The steps that build the template (none pending when it is sealed):
/// tree, bootstrap (or tarball import) with the second stage checked,
/// host identity scrubbed, manifest, snapshot @base.
std::vector<host::Step> TemplateBuildSteps(const host::Host& host, const host::Storage& storage,
                                           const TemplateRequest& request);
host::Plan MakeTemplateBuildPlan(const host::Host& host, const host::Storage& storage,
                                 const TemplateRequest& request);

struct TemplateInfo {
  std::string name;
  std::string path;
  std::string dataset;
  bool complete = false;  ///< sealed at @base
  std::optional<Manifest> manifest;
};

/// The Linux templates (release templates are not listed here).
std::vector<TemplateInfo> ListTemplates(const host::Host& host, const host::Storage& storage);
/// One template by name; nullopt when there is none.
std::optional<TemplateInfo> FindTemplate(const host::Host& host, const host::Storage& storage,
                                         const std::string& name);

/// Where a template's manifest is kept.
std::string ManifestPath(const host::Host& host, const std::string& name);

}  // namespace ljail::rootfs
