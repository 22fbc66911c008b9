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

namespace ljail::host::freebsd {

struct ReleaseRequest {
  std::string release;        ///< "14.3-RELEASE"
  std::string arch;           ///< amd64 or arm64
  std::string from_file;      ///< an already downloaded base.txz (a local path), or ""
  std::string manifest_file;  ///< its MANIFEST (default: beside from_file, else downloaded)
  bool update = true;         ///< run freebsd-update on the template
};

/// Rejects a bad release name, architecture or missing local file (exit 2),
/// before anything is planned.
void ValidateReleaseRequest(const ReleaseRequest& request);

/// The plan of `ljail release fetch`. Throws when the host is not prepared
/// (no templates area: run `ljail host init`).
Plan MakeReleaseFetchPlan(const Host& host, const Settings& settings,
                          const ReleaseRequest& request);

struct ReleaseTemplate {
  std::string name;     ///< storage name, "templates/14.3-RELEASE"
  std::string release;  ///< "14.3-RELEASE"
  std::string arch;
  std::string path;       ///< host path of the tree
  std::string dataset;    ///< "" for directories
  bool complete = false;  ///< sealed at @base
  std::string userland;   ///< bin/freebsd-version's USERLAND_VERSION, "14.3-RELEASE-p2"
  std::string base_sha256;
};

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
