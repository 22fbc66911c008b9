// jail(8), jls(8), jexec(8) and rc.d/jail through service(8)
// (docs/freebsd.md §1.5, §2.3-2.6). jail -c performs the config's mount
// lines in order with jail(8)'s checks; -r undoes them in reverse.
#include <grp.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <iostream>
#include <sstream>

#include "conf_reader.h"
#include "sim.h"

using nlohmann::json;

namespace sim {
namespace {

json* RunningJail(State& s, const std::string& name_or_jid) {
  for (json& j : s.json()["jails"]) {
    if (j["name"] == name_or_jid || std::to_string(j["jid"].get<int>()) == name_or_jid) return &j;
  }
  return nullptr;
}

std::vector<std::string> Fields(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string f; in >> f;) {
    // fstab(5) spells spaces \040 in the first two fields.
    for (size_t at; (at = f.find("\\040")) != std::string::npos;) f.replace(at, 4, " ");
    out.push_back(f);
  }
  return out;
}

struct MountSpec {
  std::string device, mountpoint, fstype, options;
};

// The mounts jail(8) makes, in order (§2.3): mount lines, then mount.devfs,
// mount.fdescfs, mount.procfs.
std::vector<MountSpec> MountsOf(const JailParams& p) {
  std::vector<MountSpec> out;
  auto it = p.values.find("mount");
  if (it != p.values.end()) {
    for (const std::string& line : it->second) {
      std::vector<std::string> f = Fields(line);
      if (f.empty()) continue;
      if (f.size() < 3) Fail(1, "jail: " + p.name + ": mount: " + line + ": missing information");
      out.push_back({f[0], f[1], f[2], f.size() > 3 ? f[3] : ""});
    }
  }
  std::string path = p.Get("path");
  if (p.Bool("mount.devfs")) {
    std::string ruleset = p.Has("devfs_ruleset") ? p.Get("devfs_ruleset") : "4";
    out.push_back({"devfs", path + "/dev", "devfs", "ruleset=" + ruleset});
  }
  if (p.Bool("mount.fdescfs")) out.push_back({"fdescfs", path + "/dev/fd", "fdescfs", ""});
  if (p.Bool("mount.procfs")) out.push_back({"proc", path + "/proc", "procfs", ""});
  return out;
}

// jail_set(2) with JAIL_CREATE: the jail exists from here on. `conf` is
// the file it was read from.
void CreateInKernel(State& s, const JailParams& p, const std::string& conf) {
  int jid = s.json()["next_jid"];
  s.json()["next_jid"] = jid + 1;
  json ip4 = json::array(), ip6 = json::array();
  for (const char* param : {"ip4.addr", "ip6.addr"}) {
    if (!p.Has(param)) continue;
    for (const std::string& a : p.values.at(param)) {
      std::string addr = a.substr(a.find('|') == std::string::npos ? 0 : a.find('|') + 1);
      (param[2] == '4' ? ip4 : ip6).push_back(addr.substr(0, addr.find_first_of("/ ")));
    }
  }
  json params = json::object();
  for (const std::string& key : p.order) params[key] = p.values.at(key);
  s.json()["jails"].push_back(
      {{"jid", jid},
       {"name", p.name},
       {"path", p.Get("path")},
       {"hostname", p.Has("host.hostname") ? p.Get("host.hostname") : p.name},
       {"ip4", ip4},
       {"ip6", ip6},
       {"conf", conf},
       {"params", params}});
}

// One step of a start or a stop, in jail(8)'s order (startcommands and
// stopcommands in usr.sbin/jail/jail.c).
struct Step {
  enum Kind { kHost, kInJail, kAlias, kMount, kKernel, kVnet, kStopProcesses } kind;
  std::string param;  // the parameter it comes from, for messages
  std::string value;  // the command, address or interface (the file, for kKernel)
  MountSpec mount;
};

// Host commands: argv as run_command builds it. A command with one of
// sh(1)'s special characters runs through /bin/sh -c, the rest is split
// on white space.
std::vector<std::string> CommandArgv(const std::string& command) {
  if (command.find_first_of("!\"$&'()*;<>?[\\]`{|}~") != std::string::npos)
    return {"/bin/sh", "-c", command};
  std::vector<std::string> argv;
  std::istringstream in(command);
  for (std::string w; in >> w;) argv.push_back(w);
  return argv;
}

// ifconfig's arguments for an ip4.addr/ip6.addr entry "[IFACE|]ADDR[/LEN]"
// (run_command, IP__IP4_IFADDR): no prefix is a host address.
std::vector<std::string> AliasArgs(const JailParams& p, const std::string& param,
                                   const std::string& entry, bool down) {
  std::string iface = p.Get("interface"), addr = entry;
  if (size_t bar = entry.find('|'); bar != std::string::npos) {
    iface = entry.substr(0, bar);
    addr = entry.substr(bar + 1);
  }
  addr = addr.substr(0, addr.find(' '));
  bool v6 = param == "ip6.addr";
  std::vector<std::string> args = {iface, v6 ? "inet6" : "inet", addr};
  if (addr.find('/') == std::string::npos) {
    args.insert(args.end(), {v6 ? "prefixlen" : "netmask", v6 ? "128" : "255.255.255.255"});
  }
  args.push_back(down ? "-alias" : "alias");
  return args;
}

std::string CommandLine(const std::vector<std::string>& argv) { return Join(argv, " "); }

// The in-jail commands (exec.start, command, exec.stop) are FreeBSD
// programs, which cannot run here. The one the generated files use, `/bin/sh
// SCRIPT` (FreeBSD's rc), is checked for its files and counted as run.
bool RunInJail(State& s, const std::string& name, const std::string& path,
               const std::string& command) {
  std::vector<std::string> argv = CommandArgv(command);
  if (argv.size() != 2 || argv[0] != "/bin/sh") {
    std::cerr << "freebsd-sim: " << name << ": " << command
              << ": FreeBSD programs cannot run in the simulator (only `/bin/sh SCRIPT`)\n";
    return false;
  }
  if (!Exists(s.Resolve(path + "/bin/sh"))) {
    std::cerr << "jail: " << name << ": exec /bin/sh: No such file or directory\n";
    return false;
  }
  if (!Exists(s.Resolve(path + argv[1]))) {
    std::cerr << "/bin/sh: cannot open " << argv[1] << ": No such file or directory\n";
    return false;
  }
  return true;
}

// Does one step (or undoes it: `down`). False when it failed; jail(8)'s
// message is printed.
struct Output {
  bool quiet = false;      // -q: no "created"/"removed" notes
  bool print_jid = false;  // -i: the new jid instead
};

bool Perform(State& s, const JailParams& p, const Step& step, bool down, Output out) {
  const std::string& name = p.name;
  auto failed = [&](const std::string& line) {
    std::cerr << "jail: " << name << ": " << line << ": failed\n";
    return false;
  };
  switch (step.kind) {
    case Step::kHost: {
      std::vector<std::string> argv = CommandArgv(step.value);
      if (argv.empty()) return true;
      return RunOnHost(s, argv) == 0 || failed(CommandLine(argv));
    }
    case Step::kInJail:
      return RunInJail(s, name, p.Get("path"), step.value) || failed(step.value);
    case Step::kAlias:
    case Step::kVnet: {
      std::vector<std::string> args =
          step.kind == Step::kAlias
              ? AliasArgs(p, step.param, step.value, down)
              : std::vector<std::string>{
                    step.value, down ? "-vnet" : "vnet",
                    std::to_string(RunningJail(s, name)->at("jid").get<int>())};
      try {
        Ifconfig(s, args);
        return true;
      } catch (const Exit& e) {
        std::cerr << e.message << "\n";
        return failed("/sbin/ifconfig " + Join(args, " "));
      }
    }
    case Step::kMount: {
      const MountSpec& m = step.mount;
      try {
        if (down) {
          DoUnmount(s, m.mountpoint, "jail: " + name + ": umount: ");
          return true;
        }
        if (m.mountpoint.empty() || m.mountpoint[0] != '/')
          Fail(1, "jail: " + name + ": mount: " + m.mountpoint + ": not an absolute pathname");
        // jail(8) refuses a mount point with a symbolic link below the
        // jail's path (command.c check_path), then mounts on the host.
        std::string path = p.Get("path");
        std::string link =
            FirstSymlink(s, m.mountpoint, m.mountpoint.rfind(path, 0) == 0 ? path : "/");
        if (!link.empty()) Fail(1, "jail: " + name + ": mount: " + link + " is a symbolic link");
        if (!Exists(s.Resolve(m.mountpoint)))
          Fail(1, "jail: " + name + ": mount: " + m.mountpoint + ": No such file or directory");
        DoMount(s, m.fstype, m.options, m.device, m.mountpoint, "jail: " + name + ": mount: ");
        return true;
      } catch (const Exit& e) {
        std::cerr << e.message << "\n";
        return false;
      }
    }
    case Step::kStopProcesses: {
      int timeout = p.Has("stop.timeout") ? std::stoi(p.Get("stop.timeout")) : 10;
      if (timeout > 0) StopJailProcesses(s, p.Get("path"), timeout);
      return true;
    }
    case Step::kKernel:
      if (down) {
        json& jails = s.json()["jails"];
        int jid = RunningJail(s, name)->at("jid");
        StopJailProcesses(s, p.Get("path"), 0);  // jail_remove(2) kills what is left
        jails.erase(std::remove_if(jails.begin(), jails.end(),
                                   [&](const json& j) { return j["name"] == name; }),
                    jails.end());
        ReturnVnetInterfaces(s, jid);
        if (!out.quiet) std::cout << name << ": removed\n";
        return true;
      }
      CreateInKernel(s, p, step.value);
      if (out.print_jid)
        std::cout << RunningJail(s, name)->at("jid").get<int>() << "\n";
      else if (!out.quiet)
        std::cout << name << ": created\n";
      return true;
  }
  return false;
}

// The mount steps in start order.
void AddMounts(const JailParams& p, std::vector<Step>* steps) {
  for (const MountSpec& m : MountsOf(p)) steps->push_back({Step::kMount, "mount", "", m});
}

// The address steps in start order (IPv4, then IPv6).
void AddAliases(const JailParams& p, std::vector<Step>* steps) {
  for (const char* param : {"ip4.addr", "ip6.addr"}) {
    if (!p.Has(param)) continue;
    for (const std::string& e : p.values.at(param))
      if (!p.Get("interface").empty() || e.find('|') != std::string::npos)
        steps->push_back({Step::kAlias, param, e, {}});
  }
}

void AddCommands(const JailParams& p, const std::string& param, Step::Kind kind,
                 std::vector<Step>* steps) {
  if (!p.Has(param)) return;
  for (const std::string& v : p.values.at(param)) steps->push_back({kind, param, v, {}});
}

void Create(State& s, const std::string& conf, const std::string& name, Output out) {
  if (RunningJail(s, name)) Fail(1, "jail: \"" + name + "\" already exists");
  std::optional<JailParams> p = ReadJail(s, conf, name);
  if (!p) Fail(1, "jail: \"" + name + "\" not found");
  std::string path = p->Get("path");
  if (path.empty()) Fail(1, "jail: " + name + ": path: missing parameter");
  if (path[0] != '/') Fail(1, "jail: " + name + ": path " + path + ": not an absolute pathname");
  if (!Exists(s.Resolve(path)))
    Fail(1, "jail: " + name + ": path " + path + ": No such file or directory");
  if (!IsDirectory(s.Resolve(path)))
    Fail(1, "jail: " + name + ": path " + path + ": Not a directory");
  for (const std::string& key : p->order) {
    if (key.rfind("linux", 0) == 0 || key.rfind("allow.mount.lin", 0) == 0) {
      // Jail parameters of the Linux ABI exist only once its module is loaded.
      bool loaded = false;
      for (const std::string f : s.json()["kld_files"]) loaded = loaded || f == "linux_common";
      if (!loaded) Fail(1, "jail: " + name + ": unknown parameter: " + key);
    }
    if (key == "mount.fstab" || key == "zfs.dataset" || key == "exec.consolelog" ||
        key == "exec.jail_user" || key == "exec.system_user")
      Fail(1, "jail: " + name + ": " + key + ": not simulated");
  }
  std::vector<Step> steps;
  AddCommands(*p, "exec.prepare", Step::kHost, &steps);
  AddAliases(*p, &steps);
  AddMounts(*p, &steps);
  AddCommands(*p, "exec.prestart", Step::kHost, &steps);
  steps.push_back({Step::kKernel, "", conf, {}});
  AddCommands(*p, "exec.created", Step::kHost, &steps);
  AddCommands(*p, "vnet.interface", Step::kVnet, &steps);
  AddCommands(*p, "exec.start", Step::kInJail, &steps);
  AddCommands(*p, "command", Step::kInJail, &steps);
  AddCommands(*p, "exec.poststart", Step::kHost, &steps);
  for (size_t i = 0; i < steps.size(); ++i) {
    if (Perform(s, *p, steps[i], false, out)) continue;
    // A failed start is undone backwards from the step before the one that
    // failed: the jail removed, the interface taken back, the mounts and
    // addresses undone; no command runs (command.c next_command,
    // create_failed).
    for (size_t k = i; k-- > 0;) {
      Step::Kind kind = steps[k].kind;
      if (kind == Step::kKernel || kind == Step::kVnet || kind == Step::kMount ||
          kind == Step::kAlias) {
        Perform(s, *p, steps[k], true, out);
      }
    }
    Fail(1, "");
  }
}

void Remove(State& s, const std::string& conf, const std::string& name, Output out) {
  json* running = RunningJail(s, name);
  if (!running) Fail(1, "jail: \"" + name + "\" not found");
  std::optional<JailParams> p;
  if (Exists(s.Real(conf))) p = ReadJail(s, conf, name);
  if (!p) {
    // A jail the file does not describe: removed with no commands (jail -r
    // of a jail made on the command line).
    p = JailParams{};
    p->name = name;
    p->values["path"] = {running->at("path").get<std::string>()};
  }
  std::vector<Step> steps;
  AddCommands(*p, "exec.prestop", Step::kHost, &steps);
  AddCommands(*p, "exec.stop", Step::kInJail, &steps);
  steps.push_back({Step::kStopProcesses, "", "", {}});
  size_t removal = steps.size();
  steps.push_back({Step::kKernel, "", "", {}});
  AddCommands(*p, "exec.poststop", Step::kHost, &steps);
  std::vector<Step> mounts;
  AddMounts(*p, &mounts);
  steps.insert(steps.end(), mounts.rbegin(), mounts.rend());
  // Mounts and addresses are undone in reverse (PF_REV in config.c).
  std::vector<Step> aliases;
  AddAliases(*p, &aliases);
  steps.insert(steps.end(), aliases.rbegin(), aliases.rend());
  AddCommands(*p, "exec.release", Step::kHost, &steps);
  int failures = 0;
  for (size_t i = 0; i < steps.size(); ++i) {
    if (Perform(s, *p, steps[i], true, out)) continue;
    ++failures;
    // Before the removal a failure ends the stop and the jail stays
    // (jail.c main, JF_STOP with JF_FAILED); after it the rest still runs.
    if (i < removal) break;
  }
  if (failures) Fail(1, "");
}

}  // namespace

int Jail(State& s, const std::vector<std::string>& args) {
  std::vector<std::string> names;
  auto options = GetOpt(args, "cdf:hiJ:lmp:qrRs:U:uv", &names, [](char) {
    Fail(1,
         "usage: jail [-dhilqv] [-J jid_file] [-u username] [-U username]\n"
         "            -[cmr] param=value ... [command=command ...]\n"
         "       jail [-dqv] [-f file] -[cmr] [jail]");
  });
  std::string conf = "/etc/jail.conf";
  bool create = false, remove = false, quiet = false, print_jid = false;
  for (const auto& [flag, value] : options) {
    if (flag == 'c')
      create = true;
    else if (flag == 'r')
      remove = true;
    else if (flag == 'f')
      conf = value;
    else if (flag == 'q')
      quiet = true;
    else if (flag == 'i') {
      print_jid = true;
      quiet = true;
    } else if (flag == 'v') {
    } else
      Fail(1, std::string("jail: -") + flag + " is not simulated");
  }
  if (!create && !remove) Fail(1, "jail: one of -c, -m, -r or -e is required");
  if (names.empty()) Fail(1, "jail: the simulator acts on named jails only");
  int status = 0;
  for (const std::string& name : names) {
    if (name.find('=') != std::string::npos) Fail(1, "jail: command-line jails are not simulated");
    if (remove) Remove(s, conf, name, {quiet, false});
    if (create) Create(s, conf, name, {quiet, print_jid});
  }
  return status;
}

int Jls(State& s, const std::vector<std::string>& raw_args) {
  std::vector<std::string> args;
  bool json_out = false;
  for (size_t i = 0; i < raw_args.size(); ++i) {
    const std::string& a = raw_args[i];
    if (a == "--libxo" && i + 1 < raw_args.size()) {
      json_out = raw_args[++i].find("json") != std::string::npos;
    } else if (a.rfind("--libxo=", 0) == 0 || a.rfind("--libxo:", 0) == 0) {
      json_out = a.find("json") != std::string::npos;
    } else {
      args.push_back(a);
    }
  }
  std::vector<std::string> params;
  auto options = GetOpt(args, "adj:hNnqsv", &params,
                        [](char) { Fail(1, "usage: jls [-dhNnqv] [-j jail] [param ...]"); });
  std::string selected;
  bool verbose = false;
  for (const auto& [flag, value] : options) {
    if (flag == 'j') selected = value;
    if (flag == 'v') verbose = true;
  }
  std::vector<json> jails;
  if (!selected.empty()) {
    json* j = RunningJail(s, selected);
    if (!j) Fail(1, "jls: jail \"" + selected + "\" not found");
    jails.push_back(*j);
  } else {
    for (const json& j : s.json()["jails"]) jails.push_back(j);
  }
  if (json_out) {
    json list = json::array();
    for (const json& j : jails) {
      if (verbose) {
        list.push_back({{"jid", j["jid"]},
                        {"hostname", j["hostname"]},
                        {"path", j["path"]},
                        {"name", j["name"]},
                        {"state", "ACTIVE"},
                        {"cpusetid", j["jid"].get<int>() + 1},
                        {"ipv4_addrs", j["ip4"]},
                        {"ipv6_addrs", j["ip6"]}});
      } else {
        list.push_back({{"jid", j["jid"]},
                        {"ipv4", j["ip4"].empty() ? "" : j["ip4"][0].get<std::string>()},
                        {"hostname", j["hostname"]},
                        {"path", j["path"]}});
      }
    }
    std::cout << json{{"__version", "2"}, {"jail-information", {{"jail", list}}}}.dump() << "\n";
    return 0;
  }
  if (!params.empty()) {
    for (const json& j : jails) {
      std::vector<std::string> values;
      for (const std::string& p : params) {
        if (p == "jid")
          values.push_back(std::to_string(j["jid"].get<int>()));
        else if (p == "name")
          values.push_back(j["name"]);
        else if (p == "path")
          values.push_back(j["path"]);
        else if (p == "host.hostname")
          values.push_back(j["hostname"]);
        else if (p == "ip4.addr")
          values.push_back(j["ip4"].empty() ? "-"
                                            : Join(j["ip4"].get<std::vector<std::string>>(), ","));
        else if (p == "ip6.addr")
          values.push_back(j["ip6"].empty() ? "-"
                                            : Join(j["ip6"].get<std::vector<std::string>>(), ","));
        else if (j["params"].contains(p))
          values.push_back(j["params"][p].empty() ? "true"
                                                  : j["params"][p].back().get<std::string>());
        else
          Fail(1, "jls: unknown parameter: " + p);
      }
      std::cout << Join(values, " ") << "\n";
    }
    return 0;
  }
  std::cout << "   JID  IP Address      Hostname                      Path\n";
  for (const json& j : jails) {
    char line[512];
    std::string ip = j["ip4"].empty() ? "" : j["ip4"][0].get<std::string>();
    (void)std::snprintf(line, sizeof line, "%6d  %-15.15s %-29.29s %.74s", j["jid"].get<int>(),
                        ip.c_str(), j["hostname"].get<std::string>().c_str(),
                        j["path"].get<std::string>().c_str());
    std::cout << line << "\n";
  }
  return 0;
}

// jexec JAIL chroot [-u UID] [-g GID] [-G GIDS] DIR COMMAND...: the way
// ljail enters a Linux tree. The simulator really chroots into the tree and
// runs the Linux program (this machine runs Linux binaries natively, as the
// Linuxulator would). FreeBSD programs cannot run here: refused loudly.
int Jexec(State& s, const std::vector<std::string>& args) {
  std::vector<std::string> rest;
  GetOpt(args, "d:lu:U:", &rest, [](char) {
    Fail(1,
         "usage: jexec [-l] [-d working-directory] [-u username | -U username] jail [command ...]");
  });
  if (rest.empty())
    Fail(1,
         "usage: jexec [-l] [-d working-directory] [-u username | -U username] jail [command ...]");
  json* j = RunningJail(s, rest[0]);
  if (!j) Fail(1, "jexec: jail \"" + rest[0] + "\" not found");
  std::vector<std::string> command(rest.begin() + 1, rest.end());
  if (command.empty() || (command[0] != "chroot" && command[0] != "/usr/sbin/chroot")) {
    Fail(126, "freebsd-sim: jexec " + rest[0] +
                  ": FreeBSD programs cannot run in the simulator "
                  "(only `chroot DIR LINUX-COMMAND` can)");
  }
  std::vector<std::string> chroot_args(command.begin() + 1, command.end());
  std::vector<std::string> operands;
  auto options = GetOpt(chroot_args, "G:g:u:", &operands, [](char) {
    Fail(1, "usage: chroot [-g group] [-G group,group,...] [-u user] newroot [command]");
  });
  if (operands.empty())
    Fail(1, "usage: chroot [-g group] [-G group,group,...] [-u user] newroot [command]");
  auto numeric = [](const std::string& v, const char* what) {
    if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos) {
      // FreeBSD's chroot(8) would look the name up in the jail's FreeBSD
      // database, which knows no Linux user.
      Fail(1, std::string("chroot: no such ") + what + " `" + v + "'");
    }
    return static_cast<unsigned>(std::stoul(v));
  };
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;
  for (const auto& [flag, value] : options) {
    if (flag == 'u') uid = numeric(value, "user");
    if (flag == 'g') gid = numeric(value, "group");
    if (flag == 'G')
      for (const std::string& g : Split(value, ',')) groups.push_back(numeric(g, "group"));
  }
  std::string root = s.Resolve(j->at("path").get<std::string>() + operands[0]);
  std::vector<std::string> program(operands.begin() + 1, operands.end());
  if (program.empty()) program = {"/bin/sh"};
  s.Save();
  s.Unlock();
  if (::chroot(root.c_str()) != 0 || ::chdir("/") != 0)
    Fail(1, "chroot: " + operands[0] + ": " + std::strerror(errno));
  if (::setgroups(groups.size(), groups.data()) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0) {
    Fail(1, std::string("chroot: setting ids: ") + std::strerror(errno));
  }
  std::vector<char*> argv;
  argv.reserve(program.size() + 1);
  for (std::string& a : program) argv.push_back(a.data());
  argv.push_back(nullptr);
  ::execvp(argv[0], argv.data());
  Fail(127, "chroot: " + program[0] + ": " + std::strerror(errno));
}

// devfs(8): `devfs rule -s N show` lists a ruleset the kernel knows.
int Devfs(State& s, const std::vector<std::string>& args) {
  if (args.size() == 4 && args[0] == "rule" && args[1] == "-s" && args[3] == "show") {
    const json& sets = s.json()["devfs_rulesets"];
    if (!sets.contains(args[2])) return 0;  // an unknown ruleset has no rules
    const json& rules = sets[args[2]];
    if (rules.is_string()) {
      std::cout << "100 include $" << rules.get<std::string>() << "\n";
    } else {
      int n = 100;
      for (const std::string rule : rules) std::cout << n++ << " " << rule << "\n";
    }
    return 0;
  }
  Fail(1, "usage: devfs rule -s N show   (the rest of devfs(8) is not simulated)");
}

// rc.d/devfs restart: loads the rulesets of /etc/devfs.rules into the kernel.
void LoadDevfsRules(State& s) {
  std::string current;
  for (const std::string& raw : Lines(ReadText(s.Real("/etc/devfs.rules")))) {
    std::string line = raw.substr(0, raw.find('#'));
    size_t open = line.find('['), eq = line.find('='), close = line.find(']');
    if (open != std::string::npos && eq != std::string::npos && close != std::string::npos) {
      current = line.substr(eq + 1, close - eq - 1);
      s.json()["devfs_rulesets"][current] = json::array();
      continue;
    }
    size_t add = line.find("add ");
    if (add != std::string::npos && !current.empty()) {
      std::string rule = line.substr(add + 4);
      while (!rule.empty() && (rule.back() == ' ' || rule.back() == '\t')) rule.pop_back();
      s.json()["devfs_rulesets"][current].push_back(rule);
    }
  }
}

// Runs `op` with standard output and error, ours and those of the commands
// it runs, going to a file: rc.d/jail runs jail(8) so (`>> $_tmp 2>&1`)
// and shows what it wrote only when it failed. Returns whether `op`
// succeeded and what was written.
std::pair<bool, std::string> Captured(const std::function<void()>& op) {
  std::cout.flush();
  std::cerr.flush();
  char name[] = "/tmp/freebsd-sim-jail.XXXXXX";
  int fd = ::mkstemp(name);
  if (fd < 0) Fail(1, std::string("service: mktemp: ") + std::strerror(errno));
  ::unlink(name);
  int saved_out = ::dup(1), saved_err = ::dup(2);
  ::dup2(fd, 1);
  ::dup2(fd, 2);
  bool ok = true;
  try {
    op();
  } catch (const Exit& e) {
    if (!e.message.empty()) std::cerr << e.message << "\n";
    ok = false;
  }
  std::cout.flush();
  std::cerr.flush();
  ::dup2(saved_out, 1);
  ::dup2(saved_err, 2);
  ::close(saved_out);
  ::close(saved_err);
  std::string output;
  char buffer[4096];
  ::lseek(fd, 0, SEEK_SET);
  for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;)
    output.append(buffer, static_cast<size_t>(n));
  ::close(fd);
  return {ok, output};
}

// rc.d/jail, per jail (§1.5): needs jail_enable, picks the config file,
// runs jail -c/-r and reports like the rc script.
int Service(State& s, const std::vector<std::string>& args) {
  if (args.size() < 2)
    Fail(1, "usage: service [-j <jail name or id>] [-rv] <rc.d script> start|stop|etc.");
  if (args[0] == "devfs" && (args[1] == "restart" || args[1] == "start")) {
    LoadDevfsRules(s);
    return 0;
  }
  if (args[0] != "jail")
    Fail(1, args[0] +
                " does not exist in /etc/rc.d or the local startup\ndirectories "
                "(/usr/local/etc/rc.d), or is not executable.");
  std::string verb = args[1];
  bool one = verb.rfind("one", 0) == 0;
  if (one) verb = verb.substr(3);
  if (verb != "start" && verb != "stop" && verb != "restart" && verb != "status")
    Fail(1, "/etc/rc.d/jail: unknown directive '" + args[1] + "'.");
  std::string enabled = RcValue(s, "jail_enable").value_or("NO");
  if (!one && enabled != "YES" && enabled != "yes") {
    // rc.subr echoes this on stdout and returns 0: the exit status does not
    // tell the caller that nothing started.
    std::cout << "Cannot '" << verb << "' jail. Set jail_enable to YES in /etc/rc.conf or use 'one"
              << verb << "' instead of '" << verb << "'.\n";
    return 0;
  }
  if (verb == "status") return Jls(s, {"-N"});
  std::string jail_conf = RcValue(s, "jail_conf").value_or("/etc/jail.conf");
  std::vector<std::string> names(args.begin() + 2, args.end());
  if (names.empty()) {
    std::string list = RcValue(s, "jail_list").value_or("");
    std::istringstream in(list);
    for (std::string n; in >> n;) names.push_back(n);
    if (names.empty() && Exists(s.Real(jail_conf))) names = JailNames(s, jail_conf);
  }
  auto conf_for = [&](const std::string& name) {
    std::string own = RcValue(s, "jail_" + name + "_conf").value_or("/etc/jail." + name + ".conf");
    if (Exists(s.Real(own))) return own;
    std::string d = "/etc/jail.conf.d/" + name + ".conf";
    bool included = false;
    for (const std::string& line : Lines(ReadText(s.Real(jail_conf)))) {
      size_t start = line.find_first_not_of(" \t");
      if (start != std::string::npos && line.compare(start, 8, ".include") == 0 &&
          line.find("/etc/jail.conf.d/") != std::string::npos) {
        included = true;
      }
    }
    if (Exists(s.Real(d)) && !included) return d;
    return jail_conf;
  };
  int status = 0;
  if (verb == "stop" || verb == "restart") {
    std::cout << "Stopping jails:";
    for (const std::string& name : names) {
      if (!RunningJail(s, name)) continue;  // rc.d/jail skips jails not running
      auto [ok, output] = Captured([&] { Remove(s, conf_for(name), name, {true, false}); });
      if (ok) {
        std::cout << " " << name;
      } else {
        std::cout << " cannot stop jail " << name << ". " << output;
        status = 1;
      }
    }
    std::cout << ".\n";
  }
  if (verb == "start" || verb == "restart") {
    std::cout << "Starting jails:";
    for (const std::string& name : names) {
      auto [ok, output] = Captured([&] { Create(s, conf_for(name), name, {true, true}); });
      if (ok) {
        std::cout << " " << name;
        WriteText(s.Real("/var/run/jail_" + name + ".id"),
                  std::to_string(RunningJail(s, name)->at("jid").get<int>()) + "\n");
      } else {
        std::cout << " cannot start jail \"" << name << "\": \n" << output;
        status = 1;
      }
    }
    std::cout << ".\n";
  }
  return status;
}

}  // namespace sim
