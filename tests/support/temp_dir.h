// A scratch directory removed with everything in it at the end of a test.
#pragma once

#include <string>

namespace ljail::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  /// path()/relative
  std::string Path(const std::string& relative) const;
  /// Writes a file (parents created) and returns its full path.
  std::string Write(const std::string& relative, const std::string& content) const;
  std::string Read(const std::string& relative) const;

 private:
  std::string path_;
};

}  // namespace ljail::testing
