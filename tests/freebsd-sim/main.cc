// Dispatch on the name the program was called by (one symlink per command).
#include <iostream>
#include <map>
#include <optional>

#include "sim.h"

int main(int argc, char** argv) {
  std::string name = argv[0];
  if (size_t slash = name.rfind('/'); slash != std::string::npos) name = name.substr(slash + 1);
  std::vector<std::string> args(argv + 1, argv + argc);

  if (name == "freebsd-sim") {
    if (args.size() == 2 && args[0] == "--init") {
      sim::State::Init(args[1]);
      return 0;
    }
    std::cerr << "usage: freebsd-sim --init DIR   (or run it as jail, zfs, ...)\n";
    return 64;
  }
  static const std::map<std::string, int (*)(sim::State&, const std::vector<std::string>&)>
      kCommands = {
          {"jail", sim::Jail},         {"jls", sim::Jls},
          {"jexec", sim::Jexec},       {"service", sim::Service},
          {"zfs", sim::Zfs},           {"mount", sim::Mount},
          {"umount", sim::Umount},     {"sysrc", sim::Sysrc},
          {"kldstat", sim::Kldstat},   {"kldload", sim::Kldload},
          {"sysctl", sim::Sysctl},     {"fetch", sim::Fetch},
          {"sha256", sim::Sha256},     {"freebsd-update", sim::FreebsdUpdate},
          {"chflags", sim::Chflags},   {"debootstrap", sim::Debootstrap},
          {"devfs", sim::Devfs},       {"rctl", sim::Rctl},
          {"ifconfig", sim::Ifconfig}, {"pkg", sim::Pkg},
      };
  auto command = kCommands.find(name);
  if (command == kCommands.end()) {
    std::cerr << "freebsd-sim: no simulated command '" << name << "'\n";
    return 127;
  }
  std::optional<sim::State> state;
  try {
    state.emplace(sim::State::Open());
    int code = command->second(*state, args);
    state->Save();
    return code;
  } catch (const sim::Exit& e) {
    // What a failing command did before it failed stays done, as on FreeBSD
    // (jail -c leaves the mounts it made: docs/freebsd.md §2.3).
    if (state) state->Save();
    if (!e.message.empty()) std::cerr << e.message << "\n";
    return e.code;
  }
}
