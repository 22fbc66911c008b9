#include "support/freebsd_fixture.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "support/archive_fixture.h"

namespace ljail::testing {

namespace {

// tests/freebsd-sim/prepare, the helper a user makes a host with by hand.
void Prepare(const std::vector<std::string>& args) {
  RunResult r = RunProgram(LJAIL_SIM_PREPARE, args);
  if (r.exit_code != 0) throw std::runtime_error("freebsd-sim/prepare failed: " + r.err);
}

}  // namespace

std::string WriteReleaseFiles(const std::string& dir, const std::string& release) {
  Prepare({"--release-files", dir, release});
  return Sha256File(dir + "/base.txz");
}

std::string PublishRelease(const SimHost& host, const std::string& release) {
  Prepare({"--state", host.state(), "--no-init", "--release", release});
  return Sha256File(host.Real("/mirror/releases/amd64/amd64/" + release + "/base.txz"));
}

void PublishPkgbase(const SimHost& host, const std::string& release) {
  Prepare({"--state", host.state(), "--no-init", "--pkgbase", release});
  SetSetting(host, "freebsd_pkg_mirror", "file:///mirror/pkgbase");
}

void SetSetting(const SimHost& host, const std::string& key, const std::string& value) {
  std::string text = host.Read("/usr/local/etc/ljail.conf");
  text = std::regex_replace(text, std::regex(key + " = \"[^\"]*\""), key + " = \"" + value + "\"");
  host.Write("/usr/local/etc/ljail.conf", text);
}

void UseLocalMirror(const SimHost& host) { SetSetting(host, "freebsd_mirror", "file:///mirror"); }

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
