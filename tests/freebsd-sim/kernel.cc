// kldstat(8), kldload(8) and sysctl(8). Module names differ from file names:
// linux64.ko registers "linux64elf" (docs/freebsd.md §3.3, §9).
#include <algorithm>
#include <iostream>
#include <map>

#include "sim.h"

using nlohmann::json;

namespace sim {
namespace {

struct KernelFile {
  std::vector<std::string> modules;
  std::vector<std::string> depends;
};

const std::map<std::string, KernelFile>& Files() {
  static const std::map<std::string, KernelFile> files = {
      {"kernel", {{"kernel"}, {}}},
      {"zfs", {{"zfs"}, {}}},
      {"linux64", {{"linux64elf"}, {"linux_common"}}},
      {"linux", {{"linuxelf"}, {"linux_common"}}},
      {"linux_common", {{"linux_common"}, {}}},
      {"linprocfs", {{"linprocfs"}, {"pseudofs"}}},
      {"linsysfs", {{"linsysfs"}, {"pseudofs"}}},
      {"pseudofs", {{"pseudofs"}, {}}},
      {"fdescfs", {{"fdescfs"}, {}}},
      {"tmpfs", {{"tmpfs"}, {}}},
      {"nullfs", {{"nullfs"}, {}}},
      {"pty", {{"pty"}, {}}},
      {"if_epair", {{"if_epair"}, {}}},
      {"if_bridge", {{"if_bridge"}, {}}},
  };
  return files;
}

std::string Stem(std::string file) {
  if (size_t slash = file.rfind('/'); slash != std::string::npos) file = file.substr(slash + 1);
  if (file.size() > 3 && file.compare(file.size() - 3, 3, ".ko") == 0) file.resize(file.size() - 3);
  return file;
}

bool Loaded(State& s, const std::string& file) {
  const json& files = s.json()["kld_files"];
  return std::find(files.begin(), files.end(), file) != files.end();
}

bool ModuleLoaded(State& s, const std::string& module) {
  for (const std::string f : s.json()["kld_files"]) {
    auto it = Files().find(f);
    if (it == Files().end()) continue;
    for (const std::string& m : it->second.modules)
      if (m == module) return true;
  }
  return false;
}

void Load(State& s, const std::string& file) {
  for (const std::string& dep : Files().at(file).depends) {
    if (!Loaded(s, dep)) Load(s, dep);
  }
  s.json()["kld_files"].push_back(file);
}

std::map<std::string, std::string> Sysctls(State& s) {
  std::map<std::string, std::string> all;
  for (auto& [k, v] : s.json()["sysctls"].items()) all[k] = v;
  if (ModuleLoaded(s, "linux_common")) {
    all.emplace("compat.linux.osname", "Linux");
    all.emplace("compat.linux.osrelease", "5.15.0");
    all.emplace("compat.linux.emul_path", "/compat/linux");
    all.emplace("compat.linux.ignore_ip_recverr", "1");
    all.emplace("compat.linux.default_openfiles", "1024");
  }
  if (ModuleLoaded(s, "linux64elf")) all.emplace("kern.features.linux64", "1");
  all.emplace("kern.elf64.fallback_brand", "-1");
  // GENERIC has RACCT but leaves it off (loader tunable, read-only here).
  all.emplace("kern.racct.enable", "0");
  return all;
}

}  // namespace

int Kldstat(State& s, const std::vector<std::string>& args) {
  std::vector<std::string> ops;
  auto options = GetOpt(args, "dhi:m:n:qv", &ops, [](char) {
    Fail(1, "usage: kldstat [-dhqv] [-i id] [-n filename]\n       kldstat [-dq] [-m modname]");
  });
  bool quiet = false;
  std::string module, file;
  for (const auto& [flag, value] : options) {
    if (flag == 'q') quiet = true;
    if (flag == 'm') module = value;
    if (flag == 'n') file = Stem(value);
  }
  if (!module.empty()) {
    if (ModuleLoaded(s, module)) {
      if (!quiet)
        std::cout << "Id  Refs Name\n"
                  << "  1    1 " << module << "\n";
      return 0;
    }
    if (!quiet)
      std::cerr << "kldstat: can't find module " << module << ": No such file or directory\n";
    return 1;
  }
  if (!file.empty()) {
    if (Loaded(s, file)) {
      if (!quiet)
        std::cout << "Id Refs Address                Size Name\n 1    1 0xffffffff80200000  1000 "
                  << file << ".ko\n";
      return 0;
    }
    if (!quiet) std::cerr << "kldstat: can't find file " << file << ": No such file or directory\n";
    return 1;
  }
  std::cout << "Id Refs Address                Size Name\n";
  int id = 1;
  for (const std::string f : s.json()["kld_files"]) {
    std::cout << (id < 10 ? " " : "") << id << "    1 0xffffffff80200000  1000 "
              << (f == "kernel" ? f : f + ".ko") << "\n";
    ++id;
  }
  return 0;
}

int Kldload(State& s, const std::vector<std::string>& args) {
  std::vector<std::string> ops;
  auto options = GetOpt(args, "nqv", &ops, [](char) { Fail(1, "usage: kldload [-nqv] file ..."); });
  bool skip_loaded =
      std::any_of(options.begin(), options.end(), [](auto& o) { return o.first == 'n'; });
  if (ops.empty()) Fail(1, "usage: kldload [-nqv] file ...");
  for (const std::string& raw : ops) {
    std::string file = Stem(raw);
    if (!Files().count(file)) Fail(1, "kldload: can't load " + raw + ": No such file or directory");
    if (Loaded(s, file)) {
      if (skip_loaded) continue;
      Fail(1, "kldload: can't load " + raw + ": module already loaded or in kernel");
    }
    Load(s, file);
  }
  return 0;
}

int Sysctl(State& s, const std::vector<std::string>& args) {
  std::vector<std::string> ops;
  auto options = GetOpt(args, "bdehiNnoqTtWx", &ops, [](char) {
    Fail(1, "usage: sysctl [-bdehiNnoqTtWx] [ -B <bufsize> ] [-f filename] name[=value] ...");
  });
  bool value_only =
      std::any_of(options.begin(), options.end(), [](auto& o) { return o.first == 'n'; });
  bool ignore = std::any_of(options.begin(), options.end(), [](auto& o) { return o.first == 'i'; });
  std::map<std::string, std::string> all = Sysctls(s);
  int status = 0;
  for (const std::string& op : ops) {
    size_t eq = op.find('=');
    std::string name = op.substr(0, eq);
    auto it = all.find(name);
    if (it == all.end()) {
      if (!ignore) {
        std::cerr << "sysctl: unknown oid '" << name << "'\n";
        status = 1;
      }
      continue;
    }
    if (eq == std::string::npos) {
      std::cout << (value_only ? "" : name + ": ") << it->second << "\n";
      continue;
    }
    std::string value = op.substr(eq + 1);
    if (name == "kern.racct.enable") {
      std::cerr << "sysctl: oid '" << name << "' is a read only tunable\n"
                << "sysctl: Tunable values are set in /boot/loader.conf\n";
      status = 1;
      continue;
    }
    std::cout << name << ": " << it->second << " -> " << value << "\n";
    s.json()["sysctls"][name] = value;
  }
  return status;
}

}  // namespace sim
