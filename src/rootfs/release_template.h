// A FreeBSD release template (`ljail release`): the FreeBSD base a jail on a
// FreeBSD host is cloned from, as the verbs ask for it and list it. Only a
// FreeBSD host makes them (runtime/freebsd/release.h).
#pragma once

#include <string>

namespace ljail::rootfs {

struct ReleaseRequest {
  std::string release;        ///< "14.3-RELEASE"
  std::string arch;           ///< amd64 or arm64; "" = the settings' arch
  std::string from_file;      ///< an already downloaded base.txz (a local path), or ""
  std::string manifest_file;  ///< its MANIFEST (default: beside from_file, else downloaded)
  bool update = true;         ///< patch the template (freebsd-update, or pkg upgrade)
  /// How the template is made: "sets" (base.txz), "pkgbase" (pkg from the
  /// FreeBSD-base repository) or "" (by release: 16 and later have only
  /// pkgbase; an existing template keeps its own).
  std::string source;
  std::string fingerprints;  ///< pkgbase keys directory; "" = /usr/share/keys/pkgbase-N
};

struct ReleaseTemplate {
  std::string name;     ///< storage name, "templates/14.3-RELEASE"
  std::string release;  ///< "14.3-RELEASE"
  std::string arch;
  std::string path;         ///< host path of the tree
  std::string dataset;      ///< "" for directories
  bool complete = false;    ///< sealed at @base
  std::string userland;     ///< bin/freebsd-version's USERLAND_VERSION, "14.3-RELEASE-p2"
  std::string base_sha256;  ///< of base.txz; "" for pkgbase
  std::string source;       ///< "sets" or "pkgbase" ("" before ljail recorded it)
};

}  // namespace ljail::rootfs
