// The mount tables ljail reads, read one way: fstab(5) lines (a jail's
// `mount` lines as jail(8) reads them, FreeBSD's `mount -p`) and Linux's
// /proc/self/mountinfo. Their paths can hold anything a jail's root or an
// administrator named a directory, escaped in octal (`\040` for a space):
// every reader decodes them here, and nothing in them can make a reader
// fail (fuzz/mounts_fuzz.cc).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ljail {

/// `\ooo` (three octal digits, at most \377) as the byte it names and `\\`
/// as one backslash, as strunvis(3) decodes what fstab writers escape (and
/// the kernel's mountinfo); any other backslash stays as it is.
std::string DecodeOctalEscapes(std::string_view field);

/// The whitespace-separated fields of an fstab(5) line, escapes decoded in
/// the first two (the device and the mount point), as jail(8) reads a
/// `mount` line (usr.sbin/jail/command.c, run_command: strunvis).
std::vector<std::string> FstabFields(std::string_view line);

struct MountEntry {
  std::string device;
  std::string mount_point;
  std::string fstype;
  std::string options;  ///< "" when the line has none
};

/// One fstab(5) line; nullopt when it has fewer than three fields.
std::optional<MountEntry> ReadFstabLine(std::string_view line);
/// Every entry of a table in fstab(5) form (`mount -p`), bad lines skipped.
std::vector<MountEntry> ReadFstab(std::string_view text);

/// One line of /proc/PID/mountinfo (proc(5)): "ID PARENT MAJ:MIN ROOT
/// MOUNT-POINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER-OPTIONS".
struct MountInfoEntry {
  std::string device;  ///< "MAJ:MIN"
  std::string root;
  std::string mount_point;
  std::string fstype;
  std::string source;
  std::string super_options;
};

/// nullopt for a line without the fields above.
std::optional<MountInfoEntry> ReadMountInfoLine(std::string_view line);
/// The entries of this process's /proc/self/mountinfo.
std::vector<MountInfoEntry> ReadOwnMountInfo();

}  // namespace ljail
