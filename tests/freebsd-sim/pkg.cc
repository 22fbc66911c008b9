// pkg(8) as ljail runs it on a release template (docs/freebsd.md §7):
//
//   pkg [-R DIR] --rootdir TREE [-o KEY=VALUE]... install -y -r REPO PKG...
//   pkg [-R DIR] --rootdir TREE [-o KEY=VALUE]... upgrade -y -r REPO
//   pkg [-R DIR] --rootdir TREE [-o KEY=VALUE]... clean -a -y
//
// Strict where pkg is: the ABI must be known, packages newer than OSVERSION
// need IGNORE_OSVERSION, a repository's catalogue must be signed by a
// trusted fingerprint, nothing happens without -y (no terminal to ask on).
// The simulated host has no network: only file:// repositories answer.
//
// The repository format is the simulator's own, simplified (no tar, no
// RSA): at the repository URL
//   packagesite.yaml   one JSON object per line: name, version, abi,
//                      osversion, path, sum (SHA-256 of the package), deps
//   packagesite.sig    {"fingerprint": SHA-256 of the signing key,
//                       "digest": SHA-256 of packagesite.yaml}
//   All/NAME-VER.pkg   {"name", "version", "files": [{path, type, mode, content}]}
// Fingerprint files are pkg's own: `function: "sha256"` and
// `fingerprint: "HEX"` in <fingerprints>/trusted/ (revoked/ is refused).
// What is installed is kept in TREE/var/db/pkg/sim-local.json.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <set>

#include "sim.h"

namespace fs = std::filesystem;

namespace sim {
namespace {

constexpr const char* kUsage =
    "Usage: pkg [-v] [-d] [-l] [-N] [-j <jail name or id>|-c <chroot path>|-r <rootdir>] "
    "[-C <configuration file>] [-R <repo config dir>] [-o var=value] [-4|-6] <command> [<args>]";

struct Repo {
  std::string name, url, signature_type, fingerprints;
  bool enabled = true;
};

struct Options {
  std::string rootdir, conf_dir;
  std::map<std::string, std::string> vars;  // -o
};

// The repository files of pkg.conf(5), in the small part of UCL they use.
std::vector<Repo> ReadRepos(const State& s, const std::string& dir) {
  std::vector<Repo> repos;
  std::string real = s.Real(dir);
  if (!IsDirectory(real)) return repos;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(real))
    if (e.path().extension() == ".conf") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  static const std::regex block("([A-Za-z0-9_-]+)\\s*:\\s*\\{([^}]*)\\}");
  static const std::regex pair("([a-z_]+)\\s*:\\s*(\"([^\"]*)\"|([A-Za-z0-9_]+))");
  for (const fs::path& file : files) {
    std::string text;
    for (const std::string& line : Lines(ReadText(file))) {
      if (line.find('#') == std::string::npos)
        text += line + "\n";
      else
        text += line.substr(0, line.find('#')) + "\n";
    }
    for (std::sregex_iterator b(text.begin(), text.end(), block), end; b != end; ++b) {
      Repo repo;
      repo.name = (*b)[1];
      std::string body = (*b)[2];
      for (std::sregex_iterator p(body.begin(), body.end(), pair); p != end; ++p) {
        std::string key = (*p)[1];
        std::string value = (*p)[3].matched ? std::string((*p)[3]) : std::string((*p)[4]);
        if (key == "url") repo.url = value;
        if (key == "signature_type") repo.signature_type = value;
        if (key == "fingerprints") repo.fingerprints = value;
        if (key == "enabled") repo.enabled = value == "yes" || value == "true";
      }
      repos.push_back(repo);
    }
  }
  return repos;
}

std::set<std::string> Fingerprints(const State& s, const std::string& dir) {
  std::set<std::string> out;
  std::string real = s.Real(dir);
  if (!IsDirectory(real)) return out;
  static const std::regex fp("fingerprint\\s*:\\s*\"([0-9a-f]{64})\"");
  for (const auto& e : fs::directory_iterator(real)) {
    std::smatch m;
    std::string text = ReadText(e.path());
    if (text.find("function: \"sha256\"") != std::string::npos && std::regex_search(text, m, fp))
      out.insert(m[1]);
  }
  return out;
}

// The repository's catalogue, its signature checked: name -> entry.
std::map<std::string, nlohmann::json> Catalogue(const State& s, const Repo& repo,
                                                std::string* base) {
  std::cout << "Updating " << repo.name << " repository catalogue...\n";
  if (repo.url.rfind("file://", 0) != 0) {
    Fail(1, "pkg: " + repo.url + "/meta.conf: No address record\nUnable to update repository " +
                repo.name + "\nError updating repositories!");
  }
  *base = s.Real(repo.url.substr(7));
  std::string site = *base + "/packagesite.yaml";
  if (!fs::is_regular_file(site)) {
    Fail(1, "pkg: " + repo.url +
                "/packagesite.yaml: No such file or directory\n"
                "Unable to update repository " +
                repo.name + "\nError updating repositories!");
  }
  if (repo.signature_type == "fingerprints") {
    std::set<std::string> trusted = Fingerprints(s, repo.fingerprints + "/trusted");
    std::set<std::string> revoked = Fingerprints(s, repo.fingerprints + "/revoked");
    nlohmann::json sig =
        nlohmann::json::parse(ReadText(*base + "/packagesite.sig"), nullptr, false);
    std::string key = sig.is_object() ? sig.value("fingerprint", "") : "";
    if (trusted.empty() || !trusted.count(key) || revoked.count(key)) {
      Fail(1, "pkg: No trusted public keys found\nUnable to update repository " + repo.name +
                  "\nError updating repositories!");
    }
    if (sig.value("digest", "") != Sha256Of(site)) {
      Fail(1, "pkg: Invalid signature, removing repository.\nUnable to update repository " +
                  repo.name + "\nError updating repositories!");
    }
  } else if (repo.signature_type != "none" && !repo.signature_type.empty()) {
    Fail(1, "pkg: " + repo.name + ": signature_type " + repo.signature_type + " not simulated");
  }
  std::map<std::string, nlohmann::json> out;
  for (const std::string& line : Lines(ReadText(site))) {
    if (line.empty()) continue;
    nlohmann::json entry = nlohmann::json::parse(line);
    out[entry["name"]] = entry;
  }
  std::cout << repo.name << " repository is up to date.\n";
  return out;
}

nlohmann::json ReadDb(const std::string& db) {
  nlohmann::json j =
      Exists(db) ? nlohmann::json::parse(ReadText(db), nullptr, false) : nlohmann::json::object();
  return j.is_object() ? j : nlohmann::json::object();
}

// Fetches a package into the cache, checks it, writes its files.
void InstallPackage(const std::string& base, const nlohmann::json& entry,
                    const std::string& real_tree, const std::string& cache, nlohmann::json& db) {
  std::string name = entry["name"], version = entry["version"];
  std::string cached = cache + "/" + name + "-" + version + ".pkg";
  fs::create_directories(cache);
  std::string source = base + "/" + entry["path"].get<std::string>();
  if (!fs::is_regular_file(source)) Fail(1, "pkg: " + source + ": No such file or directory");
  fs::copy_file(source, cached, fs::copy_options::overwrite_existing);
  if (Sha256Of(cached) != entry["sum"].get<std::string>())
    Fail(1, "pkg: " + name + "-" + version + ": checksum mismatch");
  nlohmann::json package = nlohmann::json::parse(ReadText(cached));
  std::vector<std::string> files;
  for (const nlohmann::json& f : package["files"]) {
    std::string path = f["path"];
    if (path.empty() || path[0] != '/' || path.find("/../") != std::string::npos)
      Fail(1, "pkg: " + name + ": bad path " + path);
    std::string real = real_tree + path;
    fs::create_directories(fs::path(real).parent_path());
    if (f["type"] == "dir") {
      fs::create_directories(real);
    } else if (f["type"] == "link") {
      fs::remove(real);
      fs::create_symlink(f["content"].get<std::string>(), real);
    } else {
      fs::remove(real);
      WriteText(real, f["content"]);
    }
    fs::permissions(real, static_cast<fs::perms>(f.value("mode", 0644)),
                    fs::perm_options::replace | fs::perm_options::nofollow);
    files.push_back(path);
  }
  // Files of the old version that the new one no longer has go.
  if (db.contains(name)) {
    for (const auto& old_json : db[name]["files"]) {
      std::string old = old_json;
      if (std::find(files.begin(), files.end(), old) == files.end()) fs::remove(real_tree + old);
    }
  }
  db[name] = {{"version", version}, {"files", files}};
}

// pkg's global options, up to the subcommand (whose index goes in *next).
Options ParseGlobalOptions(const std::vector<std::string>& args, size_t* next) {
  Options o;
  size_t i = 0;
  for (; i < args.size() && args[i][0] == '-'; ++i) {
    const std::string& a = args[i];
    if (i + 1 >= args.size()) Fail(1, kUsage);
    if (a == "-R" || a == "--repo-conf-dir") {
      o.conf_dir = args[++i];
    } else if (a == "-r" || a == "--rootdir") {
      o.rootdir = args[++i];
    } else if (a == "-o") {
      const std::string& kv = args[++i];
      size_t eq = kv.find('=');
      if (eq == std::string::npos) Fail(1, "pkg: Bad option: " + kv);
      static const std::set<std::string> known = {"ABI", "OSVERSION", "IGNORE_OSVERSION",
                                                  "ASSUME_ALWAYS_YES"};
      if (!known.count(kv.substr(0, eq)))
        Fail(1, "freebsd-sim: pkg -o " + kv.substr(0, eq) + " is not simulated");
      o.vars[kv.substr(0, eq)] = kv.substr(eq + 1);
    } else {
      Fail(1, "pkg: illegal option " + a + "\n" + kUsage);
    }
  }
  *next = i;
  return o;
}

// What changes: the named packages and their dependencies, or the
// installed ones whose version differs from the catalogue's.
std::vector<std::string> Changes(const std::string& verb, const std::vector<std::string>& ops,
                                 std::map<std::string, nlohmann::json>& catalogue,
                                 nlohmann::json& db) {
  std::vector<std::string> todo;
  std::function<void(const std::string&)> want = [&](const std::string& name) {
    if (std::find(todo.begin(), todo.end(), name) != todo.end()) return;
    if (!catalogue.count(name)) {
      Fail(1, "pkg: No packages available to install matching '" + name +
                  "' have been found in the repositories");
    }
    const nlohmann::json& entry = catalogue[name];
    for (const std::string& dep : entry.value("deps", std::vector<std::string>{})) want(dep);
    if (!db.contains(name) || db[name]["version"] != entry["version"]) todo.push_back(name);
  };
  if (verb == "install") {
    for (const std::string& name : ops) want(name);
  } else {
    for (const auto& [name, installed] : db.items())
      if (catalogue.count(name) && catalogue[name]["version"] != installed["version"])
        todo.push_back(name);
  }
  return todo;
}

int Clean(const std::string& cache, bool all, bool yes) {
  if (!all) Fail(1, "freebsd-sim: pkg clean without -a is not simulated");
  if (!yes) Fail(1, "Proceed with cleaning the cache? [y/N]: ");
  if (IsDirectory(cache))
    for (const auto& e : fs::directory_iterator(cache)) fs::remove_all(e.path());
  std::cout << "The cache has been cleaned.\n";
  return 0;
}

}  // namespace

int Pkg(State& s, const std::vector<std::string>& args) {
  size_t i = 0;
  Options o = ParseGlobalOptions(args, &i);
  if (i >= args.size()) Fail(1, kUsage);
  std::string verb = args[i++];
  std::vector<std::string> rest(args.begin() + static_cast<long>(i), args.end());
  std::string tree = o.rootdir.empty() ? "/" : o.rootdir;
  std::string real_tree = s.Real(tree);
  if (!IsDirectory(real_tree)) Fail(1, "pkg: Unable to open rootdir " + tree);
  if (!o.vars.count("ABI") && !Exists(real_tree + "/bin/sh"))
    Fail(1, "pkg: Unable to determine the ABI, " + tree + "/bin/sh cannot be read");
  std::string abi = o.vars.count("ABI") ? o.vars["ABI"] : "FreeBSD:14:amd64";
  std::string db_path = real_tree + "/var/db/pkg/sim-local.json";
  std::string cache = real_tree + "/var/cache/pkg";

  std::vector<std::string> ops;
  auto options = GetOpt(rest, verb == "clean" ? "anqy" : "fnqyr:", &ops,
                        [&](char) { Fail(1, "Usage: pkg " + verb + " ..."); });
  bool yes = o.vars["ASSUME_ALWAYS_YES"] == "yes", all = false;
  std::string repo_name;
  for (const auto& [flag, value] : options) {
    if (flag == 'y') yes = true;
    if (flag == 'a') all = true;
    if (flag == 'r') repo_name = value;
  }
  if (verb == "clean") return Clean(cache, all, yes);
  if (verb != "install" && verb != "upgrade")
    Fail(1, "freebsd-sim: pkg " + verb + " is not simulated");
  if (verb == "install" && ops.empty())
    Fail(1, "Usage: pkg install [-AfInFMqRUy] [-r reponame] <pkg-origin|pkg-name> ...");
  if (verb == "upgrade" && !ops.empty())
    Fail(1, "freebsd-sim: pkg upgrade of named packages is not simulated");

  std::vector<Repo> repos = ReadRepos(s, o.conf_dir.empty() ? "/etc/pkg" : o.conf_dir);
  auto repo = std::find_if(repos.begin(), repos.end(), [&](const Repo& r) {
    return r.enabled && (repo_name.empty() || r.name == repo_name);
  });
  if (repo == repos.end()) {
    Fail(1, repo_name.empty() ? "pkg: No active remote repositories configured."
                              : "pkg: No repositories are enabled named " + repo_name);
  }
  std::string base;
  std::map<std::string, nlohmann::json> catalogue = Catalogue(s, *repo, &base);
  nlohmann::json db = ReadDb(db_path);

  std::vector<std::string> todo = Changes(verb, ops, catalogue, db);
  if (todo.empty()) {
    std::cout << (verb == "install" ? "The most recent versions of packages are already installed\n"
                                    : "Your packages are up to date.\n");
    return 0;
  }
  long osversion = o.vars.count("OSVERSION")
                       ? std::stol(o.vars["OSVERSION"])
                       : std::stol(s.json()["sysctls"].value("kern.osreldate", "1403000"));
  std::cout << "The following " << todo.size() << " package(s) will be affected:\n";
  for (const std::string& name : todo) {
    const nlohmann::json& entry = catalogue[name];
    if (entry.value("abi", "") != abi) {
      Fail(1, "pkg: repository " + repo->name + " contains packages for wrong OS version: " + abi);
    }
    if (entry.value("osversion", 0L) > osversion && o.vars["IGNORE_OSVERSION"] != "yes") {
      Fail(1, "Newer FreeBSD version for package " + name +
                  ":\n- package: " + std::to_string(entry.value("osversion", 0L)) +
                  "\n- running userland: " + std::to_string(osversion) +
                  "\nIgnore the mismatch and continue? [y/N]: ");
    }
    std::cout << "\t" << name << ": " << entry["version"].get<std::string>() << " [" << repo->name
              << "]\n";
  }
  if (!yes) Fail(1, "Proceed with this action? [y/N]: ");
  for (size_t n = 0; n < todo.size(); ++n) {
    const nlohmann::json& entry = catalogue[todo[n]];
    std::cout << "[" << n + 1 << "/" << todo.size() << "] Installing " << todo[n] << "-"
              << entry["version"].get<std::string>() << "...\n";
    InstallPackage(base, entry, real_tree, cache, db);
    fs::create_directories(fs::path(db_path).parent_path());
    WriteText(db_path, db.dump(2) + "\n");  // after each package, as pkg commits each
  }
  return 0;
}

}  // namespace sim
