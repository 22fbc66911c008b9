// sysrc(8) over the simulated /etc/rc.conf, /etc/rc.conf.local and
// /etc/defaults/rc.conf (docs/freebsd.md §9).
#include <iostream>

#include "sim.h"

namespace sim {
namespace {

[[noreturn]] void Usage(char) { Fail(1, "usage: sysrc [OPTIONS] name[[+|-]=value] ..."); }

// rc_conf_files of /etc/defaults/rc.conf, in order.
std::vector<std::string> RcConfFiles() { return {"/etc/rc.conf", "/etc/rc.conf.local"}; }

// name=value / name="value" lines of a file; the last assignment wins.
std::optional<std::string> ValueIn(const std::string& text, const std::string& name) {
  std::optional<std::string> value;
  for (const std::string& raw : Lines(text)) {
    std::string line = raw.substr(0, raw.find('#'));
    size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line.compare(start, name.size() + 1, name + "=") != 0)
      continue;
    std::string v = line.substr(start + name.size() + 1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.pop_back();
    if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) {
      v = v.substr(1, v.size() - 2);
    }
    value = v;
  }
  return value;
}

bool ValidName(const std::string& name) {
  if (name.empty() || isdigit(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name) {
    if (!isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> RcValue(const State& s, const std::string& name) {
  std::optional<std::string> value;
  for (const std::string& f : RcConfFiles()) {
    if (auto v = ValueIn(ReadText(s.Real(f)), name)) value = v;
  }
  if (value) return value;
  return ValueIn(ReadText(s.Real("/etc/defaults/rc.conf")), name);
}

int Sysrc(State& s, const std::vector<std::string>& args) {
  std::vector<std::string> ops;
  auto options = GetOpt(args, "ef:inqx", &ops, Usage);
  bool value_only = false, remove = false, ignore_unknown = false, quiet = false;
  std::string file;
  for (const auto& [flag, value] : options) {
    if (flag == 'n') value_only = true;
    if (flag == 'x') remove = true;
    if (flag == 'i') ignore_unknown = true;
    if (flag == 'q') quiet = true;
    if (flag == 'f') file = value;
  }
  if (ops.empty()) Usage('?');
  int status = 0;
  for (const std::string& op : ops) {
    size_t eq = op.find('=');
    std::string name = op.substr(0, eq);
    if (!ValidName(name))
      Fail(1, "sysrc: " + name + ": name contains characters not allowed in shell");
    std::optional<std::string> current =
        file.empty() ? RcValue(s, name) : ValueIn(ReadText(s.Real(file)), name);
    if (remove) {
      if (!current) {
        if (!ignore_unknown) {
          std::cerr << "sysrc: unknown variable '" << name << "'\n";
          status = 1;
        }
        continue;
      }
      for (const std::string& f : file.empty() ? RcConfFiles() : std::vector<std::string>{file}) {
        std::string out;
        for (const std::string& line : Lines(ReadText(s.Real(f)))) {
          size_t start = line.find_first_not_of(" \t");
          if (start != std::string::npos && line.compare(start, name.size() + 1, name + "=") == 0)
            continue;
          out += line + "\n";
        }
        if (Exists(s.Real(f))) WriteText(s.Real(f), out);
      }
      if (!quiet) std::cout << name << ": " << *current << " -> (removed)\n";
      continue;
    }
    if (eq == std::string::npos) {
      if (!current) {
        if (!ignore_unknown) {
          std::cerr << "sysrc: unknown variable '" << name << "'\n";
          status = 1;
        }
        continue;
      }
      std::cout << (value_only ? "" : name + ": ") << *current << "\n";
      continue;
    }
    std::string value = op.substr(eq + 1);
    // Edit the last file that sets the name, else append to the first.
    std::string target = file;
    if (target.empty()) {
      target = RcConfFiles()[0];
      for (const std::string& f : RcConfFiles())
        if (ValueIn(ReadText(s.Real(f)), name)) target = f;
    }
    std::string text = ReadText(s.Real(target)), out;
    bool replaced = false;
    for (const std::string& line : Lines(text)) {
      size_t start = line.find_first_not_of(" \t");
      if (start != std::string::npos && line.compare(start, name.size() + 1, name + "=") == 0) {
        out += name + "=\"" + value + "\"\n";
        replaced = true;
      } else {
        out += line + "\n";
      }
    }
    if (!replaced) out += name + "=\"" + value + "\"\n";
    WriteText(s.Real(target), out);
    if (!quiet) std::cout << name << ": " << current.value_or("") << " -> " << value << "\n";
  }
  return status;
}

}  // namespace sim
