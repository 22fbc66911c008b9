#include "core/root_fs.h"

namespace ljail {

RootFs::RootFs(std::string_view root) : prefix_(root) {
  while (!prefix_.empty() && prefix_.back() == '/') prefix_.pop_back();
}

std::string RootFs::Host(std::string_view path) const {
  if (prefix_.empty() || path.empty() || path.front() != '/') return std::string(path);
  return prefix_ + std::string(path);
}

std::string RootFs::Logical(std::string_view opened) const {
  if (prefix_.empty() || opened.substr(0, prefix_.size()) != prefix_) return std::string(opened);
  std::string_view rest = opened.substr(prefix_.size());
  if (rest.empty()) return "/";
  if (rest.front() != '/') return std::string(opened);  // "/rootx/..." is not under "/root"
  return std::string(rest);
}

}  // namespace ljail
