#include "support/archive_fixture.h"

#include <archive.h>
#include <archive_entry.h>

#include <cstdio>
#include <stdexcept>

namespace ljail::testing {

void WriteTarball(const std::string& path, const std::vector<ArchiveEntry>& entries) {
  archive* a = archive_write_new();
  if (path.ends_with(".txz") || path.ends_with(".xz")) archive_write_add_filter_xz(a);
  archive_write_set_format_pax_restricted(a);
  if (archive_write_open_filename(a, path.c_str()) != ARCHIVE_OK) {
    throw std::runtime_error("cannot write " + path);
  }
  for (const ArchiveEntry& e : entries) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, e.path.c_str());
    archive_entry_set_uid(entry, e.uid);
    archive_entry_set_gid(entry, e.gid);
    archive_entry_set_mtime(entry, 1764403200, 0);
    switch (e.type) {
      case ArchiveEntry::kFile:
        archive_entry_set_filetype(entry, AE_IFREG);
        archive_entry_set_perm(entry, e.mode);
        archive_entry_set_size(entry, static_cast<la_int64_t>(e.content.size()));
        break;
      case ArchiveEntry::kDirectory:
        archive_entry_set_filetype(entry, AE_IFDIR);
        archive_entry_set_perm(entry, e.mode == 0644 ? 0755 : e.mode);
        break;
      case ArchiveEntry::kSymlink:
        archive_entry_set_filetype(entry, AE_IFLNK);
        archive_entry_set_perm(entry, 0755);
        archive_entry_set_symlink(entry, e.content.c_str());
        break;
      case ArchiveEntry::kHardlink:
        archive_entry_set_filetype(entry, AE_IFREG);
        archive_entry_set_perm(entry, e.mode);
        archive_entry_set_hardlink(entry, e.content.c_str());
        break;
    }
    archive_write_header(a, entry);
    if (e.type == ArchiveEntry::kFile && !e.content.empty()) {
      archive_write_data(a, e.content.data(), e.content.size());
    }
    archive_entry_free(entry);
  }
  archive_write_close(a);
  archive_write_free(a);
}

std::vector<ArchiveEntry> BaseTxzEntries(const std::string& release) {
  using E = ArchiveEntry;
  return {
      {"./", E::kDirectory},
      {"./bin/", E::kDirectory},
      {"./bin/freebsd-version", E::kFile,
       "#!/bin/sh\nUSERLAND_VERSION=\"" + release + "\"\necho $USERLAND_VERSION\n", 0555},
      {"./bin/sh", E::kFile, "ELF FreeBSD sh (test fixture)\n", 0555},
      {"./dev/", E::kDirectory},
      {"./etc/", E::kDirectory},
      {"./etc/rc", E::kFile, "#!/bin/sh\n# FreeBSD /etc/rc (test fixture)\n", 0644},
      {"./etc/rc.shutdown", E::kFile, "#!/bin/sh\n", 0644},
      {"./etc/master.passwd", E::kFile, "root:*:0:0::0:0:Charlie &:/root:/bin/sh\n", 0600},
      {"./proc/", E::kDirectory},
      {"./root/", E::kDirectory, "", 0700},
      {"./tmp/", E::kDirectory, "", 01777},
      {"./usr/", E::kDirectory},
      {"./usr/bin/", E::kDirectory},
      {"./usr/bin/true", E::kFile, "ELF FreeBSD true (test fixture)\n", 0555},
      {"./usr/bin/false", E::kHardlink, "./usr/bin/true", 0555},
      {"./usr/share/", E::kDirectory},
      {"./usr/share/zoneinfo/", E::kDirectory},
      {"./var/", E::kDirectory},
      {"./var/db/", E::kDirectory},
      {"./sys", E::kSymlink, "usr/src/sys"},
  };
}

std::string Sha256File(const std::string& path) {
  std::string command = "sha256sum '" + path + "'";
  // NOLINTNEXTLINE(bugprone-command-processor): sha256sum of a file the test made
  FILE* pipe = ::popen(command.c_str(), "r");
  char buffer[128] = {};
  std::string out = pipe && std::fgets(buffer, sizeof buffer, pipe) ? buffer : "";
  if (pipe) ::pclose(pipe);
  return out.substr(0, 64);
}

}  // namespace ljail::testing
