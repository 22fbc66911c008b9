#include "jail/dpkg_status.h"

#include "core/strings.h"

namespace ljail::jail {

std::set<std::string> InstalledPackages(std::string_view status) {
  std::set<std::string> installed;
  std::string package;
  bool is_installed = false;
  auto end_stanza = [&] {
    if (!package.empty() && is_installed) installed.insert(package);
    package.clear();
    is_installed = false;
  };
  // Stanzas end at a blank line (SplitLines would drop them).
  for (const std::string& line : Split(status, '\n')) {
    if (Trim(line).empty()) {
      end_stanza();
    } else if (line.starts_with("Package:")) {
      package = Trim(line.substr(8));
    } else if (line.starts_with("Status:")) {
      std::string value = Trim(line.substr(7));
      is_installed = value.ends_with(" installed");
    }
  }
  end_stanza();
  return installed;
}

bool IsInstalled(const std::set<std::string>& installed, const std::string& request) {
  if (request.find_first_of(":=/") != std::string::npos) return false;
  return installed.contains(request);
}

}  // namespace ljail::jail
