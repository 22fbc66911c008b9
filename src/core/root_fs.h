// Host paths under the global --root prefix.
//
// Every host path ljail touches is written in configs and messages as the
// host sees it ("/etc/jail.conf"); RootFs turns it into the path to open
// ("<root>/etc/jail.conf"). Tests and the FreeBSD simulator point --root at a
// scratch directory; in production the root is "/".
#pragma once

#include <string>
#include <string_view>

namespace ljail {

class RootFs {
 public:
  /// `root` empty or "/" means the real file system root.
  explicit RootFs(std::string_view root = "");

  /// The path to open for a host path. Relative paths are left alone: they
  /// are relative to the working directory, as the user typed them.
  std::string Host(std::string_view path) const;
  /// The host path for a path returned by Host() (the root prefix removed).
  std::string Logical(std::string_view opened) const;
  /// The prefix itself, without a trailing slash ("" for the real root).
  const std::string& prefix() const { return prefix_; }

 private:
  std::string prefix_;
};

}  // namespace ljail
