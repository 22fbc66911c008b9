// FreeBSD release templates (seed-walkthrough.md step 3; docs/freebsd.md §7):
// <root>/templates/<REL> from base.txz checked against the release's
// MANIFEST, patched with freebsd-update, sealed as @base. Each step is
// checked first, so a rerun after an interruption continues where it stopped.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "host/host.h"
#include "host/plan.h"
#include "host/settings.h"
#include "rootfs/release_template.h"

namespace ljail::host::freebsd {

using rootfs::ReleaseRequest;
using rootfs::ReleaseTemplate;

/// Rejects a bad release name, architecture or missing local file (exit 2),
/// before anything is planned.
void ValidateReleaseRequest(const ReleaseRequest& request);

/// The plan of `ljail release fetch`. Throws when the host is not prepared
/// (no templates area: run `ljail host init`).
Plan MakeReleaseFetchPlan(const Host& host, const Settings& settings,
                          const ReleaseRequest& request);

std::vector<ReleaseTemplate> ListReleaseTemplates(const Host& host, const Settings& settings);

/// One line of a MANIFEST: "base.txz <sha256> <entries> base "desc" on".
struct ManifestEntry {
  std::string file;
  std::string sha256;
  size_t entries = 0;
};
std::optional<ManifestEntry> FindInManifest(const std::string& manifest, const std::string& file);

/// The release's directory on a mirror: <mirror>/releases/<target>/<arch>/<REL>.
std::string ReleaseUrl(const std::string& mirror, const std::string& arch,
                       const std::string& release);

}  // namespace ljail::host::freebsd
