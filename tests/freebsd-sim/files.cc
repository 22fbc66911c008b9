// fetch(1), sha256(1), freebsd-update(8) and chflags(1) (docs/freebsd.md §7).
// The simulated host has no network: fetch serves file:// URLs only.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>

#include "sim.h"

namespace fs = std::filesystem;

namespace sim {
namespace {

bool Has(const std::vector<std::pair<char, std::string>>& options, char c) {
  for (const auto& o : options)
    if (o.first == c) return true;
  return false;
}

}  // namespace

std::string Sha256Of(const std::string& real) {
  std::string command = "sha256sum < '" + real + "'";
  // NOLINTNEXTLINE(bugprone-command-processor): a simulated tool over a file of the test's
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) Fail(1, "sha256: cannot run sha256sum");
  char buffer[128] = {};
  std::string out = std::fgets(buffer, sizeof buffer, pipe) ? buffer : "";
  ::pclose(pipe);
  return out.substr(0, 64);
}

namespace {

std::string UserlandVersion(const std::string& real_basedir) {
  std::string text = ReadText(real_basedir + "/bin/freebsd-version");
  std::smatch m;
  if (std::regex_search(text, m, std::regex("USERLAND_VERSION=\"([^\"]+)\""))) return m[1];
  return "";
}

}  // namespace

int Fetch(State& s, const std::vector<std::string>& args) {
  std::vector<std::string> ops;
  auto options = GetOpt(args, "14AadFlMmnPpqRrsUvo:T:S:", &ops, [](char) {
    Fail(1,
         "usage: fetch [-146AadFlMmnPpqRrsUv] [-B bytes] [-i file] [-N file] [-o file]\n"
         "       [-S bytes] [-T seconds] [--no-passive] ... URL ...");
  });
  std::string output;
  for (const auto& [flag, value] : options)
    if (flag == 'o') output = value;
  if (ops.size() != 1) Fail(1, "fetch: exactly one URL per call in the simulator");
  const std::string& url = ops[0];
  if (output.empty()) output = url.substr(url.rfind('/') + 1);
  if (url.rfind("file://", 0) != 0) {
    Fail(1, "fetch: " + url + ": No address record");  // no network on the simulated host
  }
  std::string source = s.Real(url.substr(7));
  if (!fs::is_regular_file(source)) Fail(1, "fetch: " + url + ": No such file or directory");
  std::string target = output[0] == '/' ? s.Real(output) : output;
  std::uintmax_t have = Has(options, 'r') && fs::exists(target) ? fs::file_size(target) : 0;
  std::uintmax_t size = fs::file_size(source);
  if (have > size) have = 0;
  std::ifstream in(source, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(have));
  std::ofstream out(target,
                    have ? std::ios::binary | std::ios::app : std::ios::binary | std::ios::trunc);
  out << in.rdbuf();
  if (!Has(options, 'q') && ::isatty(2)) {
    std::cerr << output << "    100% of " << size / 1024 << " kB\n";
  }
  return 0;
}

int Sha256(State& s, const std::vector<std::string>& args) {
  std::vector<std::string> ops;
  auto options = GetOpt(args, "bcpqrst", &ops, [](char) {
    Fail(1, "usage: sha256 [-pqrtx] [-c string] [-s string] [files ...]");
  });
  int status = 0;
  for (const std::string& file : ops) {
    std::string real = file[0] == '/' ? s.Real(file) : file;
    if (!fs::is_regular_file(real)) {
      std::cerr << "sha256: " << file << ": No such file or directory\n";
      status = 1;
      continue;
    }
    std::string sum = Sha256Of(real);
    std::cout << (Has(options, 'q') ? sum : "SHA256 (" + file + ") = " + sum) << "\n";
  }
  return status;
}

// freebsd-update: patches come from the state's "updates" map (release ->
// patch level); fetch records what install will apply to BASEDIR.
int FreebsdUpdate(State& s, const std::vector<std::string>& raw_args) {
  std::vector<std::string> args;
  bool not_from_cron = false;
  std::string currently_running;
  for (size_t i = 0; i < raw_args.size(); ++i) {
    if (raw_args[i] == "--not-running-from-cron") {
      not_from_cron = true;
    } else if (raw_args[i] == "--currently-running") {
      if (i + 1 >= raw_args.size()) Fail(1, "usage: freebsd-update [options] command ...");
      currently_running = raw_args[++i];
    } else {
      args.push_back(raw_args[i]);
    }
  }
  std::vector<std::string> commands;
  auto options = GetOpt(args, "b:d:f:Fj:k:r:s:t:", &commands,
                        [](char) { Fail(1, "usage: freebsd-update [options] command ..."); });
  if (commands.empty()) Fail(1, "usage: freebsd-update [options] command ...");
  std::string basedir = "/";
  for (const auto& [flag, value] : options)
    if (flag == 'b') basedir = value;
  if (!IsDirectory(s.Real(basedir))) Fail(1, "freebsd-update: " + basedir + ": No such directory");

  std::string release = currently_running;
  if (release.empty()) {
    release = s.json()["sysctls"]["kern.osrelease"];
    release = std::regex_replace(release, std::regex("-p[0-9]+$"), "");
  }
  if (!std::regex_match(release,
                        std::regex("[0-9]+\\.[0-9]+-(RELEASE|ALPHA[0-9]*|BETA[0-9]*|RC[0-9]*)"))) {
    Fail(1,
         "Cannot upgrade from a version that is not a release (including alpha, beta and release "
         "candidates)\n"
         "using freebsd-update. Instead, FreeBSD can be directly upgraded by source or upgraded to "
         "a\n"
         "RELEASE/RELENG version prior to running freebsd-update.");
  }
  std::string real_base = s.Real(basedir);
  bool fetched = false;
  for (const std::string& command : commands) {
    if (command == "fetch") {
      if (!not_from_cron && !::isatty(0)) {
        Fail(1,
             "freebsd-update fetch should not be run non-interactively.\n"
             "Run freebsd-update cron instead.");
      }
      fetched = true;
      std::cout << "Looking up update.FreeBSD.org mirrors... 3 mirrors found.\n";
      std::string patch = s.json()["updates"].value(release, "");
      std::string target = patch.empty() ? release : release + "-" + patch;
      if (patch.empty() || UserlandVersion(real_base) == target) {
        std::cout << "No updates needed to update system to " << target << ".\n";
        continue;
      }
      std::cout << "The following files will be updated as part of updating to\n"
                << target << ":\n/bin/freebsd-version\n";
      s.json()["pending_update"] = {{"basedir", basedir}, {"version", target}};
    } else if (command == "install") {
      const nlohmann::json& pending = s.json()["pending_update"];
      if (pending.is_null() || pending["basedir"] != basedir) {
        std::cout << "No updates are available to install.\n";
        if (!fetched) {
          std::cout << "Run '"
                    << "freebsd-update [options] fetch' first.\n";
          return 2;
        }
        continue;
      }
      std::string file = real_base + "/bin/freebsd-version";
      std::string text = ReadText(file);
      text =
          std::regex_replace(text, std::regex("USERLAND_VERSION=\"[^\"]+\""),
                             "USERLAND_VERSION=\"" + pending["version"].get<std::string>() + "\"");
      WriteText(file, text);
      s.json().erase("pending_update");
      std::cout << "Installing updates... done.\n";
    } else if (command != "cron" && command != "IDS" && command != "updatesready") {
      Fail(1, "Unknown command: " + command);
    }
  }
  return 0;
}

int Chflags(State& s, const std::vector<std::string>& args) {
  std::vector<std::string> ops;
  GetOpt(args, "fhvxRHLP", &ops,
         [](char) { Fail(1, "usage: chflags [-fhvx] [-R [-H | -L | -P]] flags file ..."); });
  if (ops.size() < 2) Fail(1, "usage: chflags [-fhvx] [-R [-H | -L | -P]] flags file ...");
  static const std::regex flags(
      "(0|(no)?(schg|uchg|sunlnk|uunlnk|arch|nodump|opaque|sappnd|uappnd|hidden)(,(no)?(schg|uchg|"
      "sunlnk|uunlnk|arch|nodump|opaque|sappnd|uappnd|hidden))*)");
  if (!std::regex_match(ops[0], flags)) Fail(1, "chflags: invalid flag: " + ops[0]);
  for (size_t i = 1; i < ops.size(); ++i) {
    if (!Exists(s.Real(ops[i]))) Fail(1, "chflags: " + ops[i] + ": No such file or directory");
  }
  return 0;  // Linux cannot hold BSD file flags; the call is checked, not applied.
}

}  // namespace sim
