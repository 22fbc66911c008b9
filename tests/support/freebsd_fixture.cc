#include "support/freebsd_fixture.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "support/archive_fixture.h"

namespace ljail::testing {

std::string WriteReleaseFiles(const std::string& dir, const std::string& release) {
  std::filesystem::create_directories(dir);
  std::vector<ArchiveEntry> entries = BaseTxzEntries(release);
  WriteTarball(dir + "/base.txz", entries);
  std::string sha = Sha256File(dir + "/base.txz");
  std::ofstream(dir + "/MANIFEST") << ManifestFor(sha, entries.size());
  return sha;
}

std::string PublishRelease(const SimHost& host, const std::string& release) {
  return WriteReleaseFiles(host.Real("/mirror/releases/amd64/amd64/" + release), release);
}

void UseLocalMirror(const SimHost& host) {
  std::string text = host.Read("/usr/local/etc/ljail.conf");
  text = std::regex_replace(text, std::regex("freebsd_mirror = \"[^\"]*\""),
                            "freebsd_mirror = \"file:///mirror\"");
  host.Write("/usr/local/etc/ljail.conf", text);
}

std::string Snapshot(const SimHost& host) {
  std::ostringstream out;
  std::ifstream state(host.state() + "/state.json");
  out << state.rdbuf() << "\n";
  std::vector<std::string> lines;
  std::string root = host.Real("");
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    struct stat st {};
    ::lstat(entry.path().c_str(), &st);
    std::string rel = entry.path().string().substr(root.size());
    lines.push_back(rel + " " + std::to_string(st.st_mode) + " " +
                    (S_ISREG(st.st_mode) ? std::to_string(st.st_size) : "-"));
  }
  std::sort(lines.begin(), lines.end());
  for (const std::string& l : lines) out << l << "\n";
  return out.str();
}

void ExpectSameState(const std::string& before, const std::string& after) {
  if (before == after) return;
  auto lines = [](const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
  };
  std::vector<std::string> a = lines(before), b = lines(after);
  std::string diff;
  int shown = 0;
  for (size_t i = 0; i < std::max(a.size(), b.size()) && shown < 8; ++i) {
    std::string la = i < a.size() ? a[i] : "<end>", lb = i < b.size() ? b[i] : "<end>";
    if (la == lb) continue;
    diff += "  line " + std::to_string(i + 1) + ": before \"" + la + "\"\n             after  \"" +
            lb + "\"\n";
    ++shown;
  }
  ADD_FAILURE() << "the simulated host changed:\n" << diff;
}

}  // namespace ljail::testing
