#include "jailconf/diagnostic.h"

#include <fmt/format.h>

#include <mutex>
#include <set>

namespace ljail::jailconf {

std::string_view InternFileName(std::string_view name) {
  // A config names few files, and a process reads few configs: the pool only
  // grows, and views into it stay valid (set nodes never move).
  static std::mutex mutex;
  static std::set<std::string, std::less<>> pool;
  static std::string_view last;
  std::lock_guard<std::mutex> lock(mutex);
  if (name == last) return last;
  auto it = pool.find(name);
  if (it == pool.end()) it = pool.emplace(name).first;
  last = *it;
  return last;
}

std::string FormatDiagnostic(const Diagnostic& d) {
  std::string text = d.location.line > 0
                         ? fmt::format("{} line {}: ", d.location.file, d.location.line)
                         : fmt::format("{}: ", d.location.file);
  if (d.location.file.empty()) text.clear();
  if (d.severity == Severity::kWarning) text += "warning: ";
  if (!d.jail.empty()) text += d.jail + ": ";
  text += d.message;
  return text;
}

void Diagnostics::Error(Location location, std::string message, std::string jail) {
  items_.push_back({Severity::kError, location, std::move(jail), std::move(message)});
  ++errors_;
}

void Diagnostics::Warning(Location location, std::string message, std::string jail) {
  items_.push_back({Severity::kWarning, location, std::move(jail), std::move(message)});
}

std::string Diagnostics::ToString() const {
  std::string out;
  for (const Diagnostic& d : items_) {
    out += FormatDiagnostic(d);
    out += '\n';
  }
  return out;
}

}  // namespace ljail::jailconf
