// zfs(8): datasets, snapshots and clones, with OpenZFS's messages and exit
// codes (docs/freebsd.md §6). A dataset is a directory under the root; a
// snapshot is a frozen copy; a clone starts as a copy of its snapshot.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <set>

#include "sim.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace sim {
namespace {

[[noreturn]] void Usage(char c) {
  Fail(2, std::string("invalid option '") + c + "'\nusage: zfs <command> <args> ...");
}

bool ValidName(const std::string& name) {
  if (name.empty()) return false;
  for (const std::string& part : Split(name, '/')) {
    if (part.empty()) return false;
    for (char c : part) {
      if (!isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.' && c != ':') {
        return false;
      }
    }
  }
  return true;
}

std::string Parent(const std::string& name) {
  size_t slash = name.rfind('/');
  return slash == std::string::npos ? "" : name.substr(0, slash);
}

std::string Pool(const std::string& name) { return Split(name, '/')[0]; }

json& Datasets(State& s) { return s.json()["datasets"]; }
json& Snapshots(State& s) { return s.json()["snapshots"]; }

bool HasDataset(State& s, const std::string& name) { return Datasets(s).contains(name); }

std::string MountpointFor(State& s, const std::string& name, const json& props) {
  if (props.contains("mountpoint")) return props["mountpoint"];
  std::string parent = Parent(name);
  std::string base =
      HasDataset(s, parent) ? Datasets(s)[parent]["mountpoint"].get<std::string>() : "/" + parent;
  return (base == "/" ? "" : base) + "/" + name.substr(parent.size() + 1);
}

std::vector<std::string> Children(State& s, const std::string& name) {
  std::vector<std::string> out;
  for (auto& [child, _] : Datasets(s).items()) {
    if (child.rfind(name + "/", 0) == 0) out.push_back(child);
  }
  return out;
}

std::vector<std::string> SnapshotsOf(State& s, const std::string& name) {
  std::vector<std::string> out;
  for (auto& [snap, _] : Snapshots(s).items()) {
    if (snap.rfind(name + "@", 0) == 0) out.push_back(snap);
  }
  return out;
}

std::vector<std::string> ClonesOf(State& s, const std::string& snapshot) {
  std::vector<std::string> out;
  for (auto& [name, ds] : Datasets(s).items()) {
    if (ds["origin"] == snapshot) out.push_back(name);
  }
  return out;
}

// Mountpoints of other datasets and of mounts are separate file systems: a
// copy of one dataset must not descend into them.
std::set<std::string> OtherFileSystems(State& s, const std::string& except_mountpoint) {
  std::set<std::string> out;
  for (auto& [_, ds] : Datasets(s).items()) {
    std::string mp = ds["mountpoint"];
    if (mp != except_mountpoint) out.insert(s.Real(mp));
  }
  for (const json& m : s.json()["mounts"]) out.insert(s.Real(m["mountpoint"].get<std::string>()));
  return out;
}

void CopyTree(const std::string& from, const std::string& to, const std::set<std::string>& skip) {
  fs::create_directories(to);
  for (auto it = fs::recursive_directory_iterator(from); it != fs::recursive_directory_iterator();
       ++it) {
    const fs::path& source = it->path();
    if (skip.count(source.string())) {
      it.disable_recursion_pending();
      fs::create_directories(to / source.lexically_relative(from));  // the mountpoint itself stays
      continue;
    }
    fs::path target = fs::path(to) / source.lexically_relative(from);
    struct stat st {};
    ::lstat(source.c_str(), &st);
    if (S_ISLNK(st.st_mode)) {
      fs::copy_symlink(source, target);
    } else if (S_ISDIR(st.st_mode)) {
      fs::create_directories(target);
    } else if (S_ISREG(st.st_mode)) {
      fs::copy_file(source, target, fs::copy_options::overwrite_existing);
    } else {
      ::mknod(target.c_str(), st.st_mode, st.st_rdev);  // device nodes, fifos
    }
    (void)::lchown(target.c_str(), st.st_uid, st.st_gid);
    if (!S_ISLNK(st.st_mode)) ::chmod(target.c_str(), st.st_mode & 07777);
  }
}

std::string SnapshotDir(State& s, const std::string& snapshot) {
  std::string id = snapshot;
  std::replace(id.begin(), id.end(), '/', '%');
  return s.dir() + "/snapshots/" + id;
}

bool Busy(State& s, const std::string& mountpoint) {
  for (const json& m : s.json()["mounts"]) {
    std::string mp = m["mountpoint"];
    if (mp == mountpoint || mp.rfind(mountpoint + "/", 0) == 0) return true;
  }
  for (const json& j : s.json()["jails"]) {
    std::string path = j["path"];
    if (path == mountpoint || path.rfind(mountpoint + "/", 0) == 0) return true;
  }
  return false;
}

json ParseProps(const std::vector<std::pair<char, std::string>>& options) {
  json props = json::object();
  for (const auto& [flag, value] : options) {
    if (flag != 'o') continue;
    size_t eq = value.find('=');
    if (eq == std::string::npos) Fail(2, "missing '=' for property: " + value);
    props[value.substr(0, eq)] = value.substr(eq + 1);
  }
  return props;
}

void AddDataset(State& s, const std::string& name, json props, const std::string& origin) {
  std::string mountpoint = MountpointFor(s, name, props);
  props.erase("mountpoint");
  json ds = {{"mountpoint", mountpoint}, {"origin", origin}, {"props", props}};
  if (MountpointFor(s, name, json::object()) != mountpoint) ds["mountpoint_local"] = true;
  Datasets(s)[name] = ds;
  fs::create_directories(s.Real(mountpoint));
}

int Create(State& s, const std::vector<std::string>& args) {
  std::vector<std::string> ops;
  auto options = GetOpt(args, "Ppnvo:", &ops, Usage);
  if (ops.size() != 1)
    Fail(2,
         "missing filesystem argument\nusage: zfs create [-Pnpuv] [-o property=value] ... "
         "<filesystem>");
  bool parents =
      std::any_of(options.begin(), options.end(), [](auto& o) { return o.first == 'p'; });
  const std::string& name = ops[0];
  if (!ValidName(name)) Fail(1, "cannot create '" + name + "': invalid character in name");
  if (HasDataset(s, name)) {
    if (parents) return 0;
    Fail(1, "cannot create '" + name + "': dataset already exists");
  }
  const json& pools = s.json()["pools"];
  if (std::find(pools.begin(), pools.end(), Pool(name)) == pools.end()) {
    Fail(1, "cannot create '" + name + "': no such pool '" + Pool(name) + "'");
  }
  std::vector<std::string> missing;
  for (std::string p = Parent(name); !p.empty() && !HasDataset(s, p); p = Parent(p))
    missing.push_back(p);
  if (!missing.empty() && !parents) Fail(1, "cannot create '" + name + "': parent does not exist");
  for (auto it = missing.rbegin(); it != missing.rend(); ++it)
    AddDataset(s, *it, json::object(), "-");
  AddDataset(s, name, ParseProps(options), "-");
  return 0;
}

int Snapshot(State& s, const std::vector<std::string>& args) {
  std::vector<std::string> ops;
  GetOpt(args, "ro:", &ops, Usage);
  if (ops.empty())
    Fail(2,
         "missing snapshot argument\nusage: zfs snapshot [-r] [-o property=value] ... "
         "<filesystem@snapname> ...");
  for (const std::string& snap : ops) {
    size_t at = snap.find('@');
    if (at == std::string::npos || at + 1 == snap.size())
      Fail(1, "cannot create snapshot '" + snap + "': invalid character in name");
    std::string ds = snap.substr(0, at);
    if (!HasDataset(s, ds)) Fail(1, "cannot open '" + ds + "': dataset does not exist");
    if (Snapshots(s).contains(snap))
      Fail(1, "cannot create snapshot '" + snap + "': dataset already exists");
    std::string mountpoint = Datasets(s)[ds]["mountpoint"];
    CopyTree(s.Real(mountpoint), SnapshotDir(s, snap), OtherFileSystems(s, mountpoint));
    Snapshots(s)[snap] = {{"dataset", ds}};
  }
  return 0;
}

int Clone(State& s, const std::vector<std::string>& args) {
  std::vector<std::string> ops;
  auto options = GetOpt(args, "po:", &ops, Usage);
  if (ops.size() != 2)
    Fail(2,
         "missing source or target\nusage: zfs clone [-p] [-o property=value] ... <snapshot> "
         "<filesystem|volume>");
  bool parents =
      std::any_of(options.begin(), options.end(), [](auto& o) { return o.first == 'p'; });
  const std::string& snap = ops[0];
  const std::string& target = ops[1];
  if (snap.find('@') == std::string::npos)
    Fail(1, "cannot open '" + snap + "': operation not applicable to datasets of this type");
  if (!Snapshots(s).contains(snap)) Fail(1, "cannot open '" + snap + "': dataset does not exist");
  if (!ValidName(target)) Fail(1, "cannot create '" + target + "': invalid character in name");
  if (HasDataset(s, target)) {
    if (parents) return 0;
    Fail(1, "cannot create '" + target + "': dataset already exists");
  }
  if (!HasDataset(s, Parent(target))) {
    if (!parents) Fail(1, "cannot create '" + target + "': parent does not exist");
    std::vector<std::string> missing;
    for (std::string p = Parent(target); !p.empty() && !HasDataset(s, p); p = Parent(p))
      missing.push_back(p);
    for (auto it = missing.rbegin(); it != missing.rend(); ++it)
      AddDataset(s, *it, json::object(), "-");
  }
  AddDataset(s, target, ParseProps(options), snap);
  std::string mountpoint = Datasets(s)[target]["mountpoint"];
  CopyTree(SnapshotDir(s, snap), s.Real(mountpoint), {});
  return 0;
}

void RemoveDataset(State& s, const std::string& name) {
  std::string mountpoint = Datasets(s)[name]["mountpoint"];
  for (const std::string& snap : SnapshotsOf(s, name)) {
    fs::remove_all(SnapshotDir(s, snap));
    Snapshots(s).erase(snap);
  }
  // Only this dataset's own files go: nested file systems keep theirs.
  std::set<std::string> others = OtherFileSystems(s, mountpoint);
  std::string real = s.Real(mountpoint);
  if (IsDirectory(real)) {
    for (const auto& entry : fs::directory_iterator(real)) {
      bool holds_other = false;
      for (const std::string& o : others) {
        if (o == entry.path().string() || o.rfind(entry.path().string() + "/", 0) == 0)
          holds_other = true;
      }
      if (!holds_other) fs::remove_all(entry.path());
    }
  }
  Datasets(s).erase(name);
}

int Destroy(State& s, const std::vector<std::string>& args) {
  std::vector<std::string> ops;
  auto options = GetOpt(args, "dfnpRrv", &ops, Usage);
  if (ops.size() != 1)
    Fail(2, "missing dataset argument\nusage: zfs destroy [-fnpRrv] <filesystem|volume>");
  auto has = [&](char c) {
    return std::any_of(options.begin(), options.end(), [&](auto& o) { return o.first == c; });
  };
  const std::string& name = ops[0];
  if (name.find('@') != std::string::npos) {
    if (!Snapshots(s).contains(name)) Fail(1, "cannot open '" + name + "': dataset does not exist");
    std::vector<std::string> clones = ClonesOf(s, name);
    if (!clones.empty() && !has('R')) {
      Fail(1,
           "cannot destroy '" + name +
               "': snapshot has dependent clones\nuse '-R' to destroy the following datasets:\n" +
               Join(clones, "\n"));
    }
    if (has('n')) return 0;
    for (const std::string& c : clones) RemoveDataset(s, c);
    fs::remove_all(SnapshotDir(s, name));
    Snapshots(s).erase(name);
    return 0;
  }
  if (!HasDataset(s, name)) Fail(1, "cannot open '" + name + "': dataset does not exist");
  std::vector<std::string> children = Children(s, name);
  std::vector<std::string> below = children;
  for (const std::string& d : std::vector<std::string>{children}) {
    for (const std::string& sn : SnapshotsOf(s, d)) below.push_back(sn);
  }
  for (const std::string& sn : SnapshotsOf(s, name)) below.push_back(sn);
  if (!below.empty() && !has('r') && !has('R')) {
    Fail(1, "cannot destroy '" + name +
                "': filesystem has children\nuse '-r' to destroy the following datasets:\n" +
                Join(below, "\n"));
  }
  std::vector<std::string> dependents;
  std::vector<std::string> all = children;
  all.push_back(name);
  for (const std::string& d : all) {
    for (const std::string& sn : SnapshotsOf(s, d)) {
      for (const std::string& c : ClonesOf(s, sn)) dependents.push_back(c);
    }
  }
  if (!dependents.empty() && !has('R')) {
    Fail(1,
         "cannot destroy '" + name +
             "': filesystem has dependent clones\nuse '-R' to destroy the following datasets:\n" +
             Join(dependents, "\n"));
  }
  for (const std::string& d : all) {
    std::string mp = Datasets(s)[d]["mountpoint"];
    if (Busy(s, mp) && !has('f')) Fail(1, "cannot unmount '" + mp + "': pool or dataset is busy");
  }
  if (has('n')) return 0;
  for (const std::string& c : dependents) RemoveDataset(s, c);
  std::sort(all.begin(), all.end(), [](auto& a, auto& b) { return a.size() > b.size(); });
  for (const std::string& d : all) RemoveDataset(s, d);
  return 0;
}

int Rename(State& s, const std::vector<std::string>& args) {
  std::vector<std::string> ops;
  GetOpt(args, "fpu", &ops, Usage);
  if (ops.size() != 2) Fail(2, "usage: zfs rename [-f] [-p] [-u] <filesystem> <filesystem>");
  const std::string& from = ops[0];
  const std::string& to = ops[1];
  if (!HasDataset(s, from)) Fail(1, "cannot open '" + from + "': dataset does not exist");
  if (HasDataset(s, to)) Fail(1, "cannot rename to '" + to + "': dataset already exists");
  if (!HasDataset(s, Parent(to))) Fail(1, "cannot rename to '" + to + "': parent does not exist");
  std::string old_mp = Datasets(s)[from]["mountpoint"];
  if (Busy(s, old_mp)) Fail(1, "cannot unmount '" + old_mp + "': pool or dataset is busy");
  json ds = Datasets(s)[from];
  Datasets(s).erase(from);
  json props = ds.value("mountpoint_local", false) ? json{{"mountpoint", old_mp}} : json::object();
  std::string new_mp = MountpointFor(s, to, props);
  ds["mountpoint"] = new_mp;
  Datasets(s)[to] = ds;
  if (new_mp != old_mp) {
    fs::create_directories(fs::path(s.Real(new_mp)).parent_path());
    fs::rename(s.Real(old_mp), s.Real(new_mp));
  }
  json renamed = json::object();
  for (auto& [snap, v] : Snapshots(s).items()) {
    std::string key = snap.rfind(from + "@", 0) == 0 ? to + snap.substr(from.size()) : snap;
    if (key != snap) fs::rename(SnapshotDir(s, snap), SnapshotDir(s, key));
    renamed[key] = v;
  }
  Snapshots(s) = renamed;
  for (auto& [_, d] : Datasets(s).items()) {
    std::string origin = d["origin"];
    if (origin.rfind(from + "@", 0) == 0) d["origin"] = to + origin.substr(from.size());
  }
  return 0;
}

// One property of a dataset or snapshot, as zfs get/list print it.
std::string Property(State& s, const std::string& name, const std::string& prop, bool parsable) {
  bool snapshot = name.find('@') != std::string::npos;
  if (prop == "name") return name;
  if (prop == "type") return snapshot ? "snapshot" : "filesystem";
  if (snapshot) {
    if (prop == "mountpoint" || prop == "origin") return "-";
  } else {
    json& ds = Datasets(s)[name];
    if (prop == "mountpoint") return ds["mountpoint"];
    if (prop == "origin") return ds["origin"];
    if (ds["props"].contains(prop)) return ds["props"][prop];
  }
  if (prop == "used" || prop == "refer" || prop == "referenced") return parsable ? "98304" : "96K";
  if (prop == "avail" || prop == "available")
    return snapshot ? "-" : (parsable ? "10737418240" : "10.0G");
  if (prop == "creation") return parsable ? "1764403200" : "Sat Nov 29  8:00 2025";
  return "-";
}

std::vector<std::string> Selected(State& s, const std::vector<std::string>& operands,
                                  bool recursive, int depth, const std::set<std::string>& types) {
  std::vector<std::string> names;
  auto want = [&](const std::string& n) {
    bool snap = n.find('@') != std::string::npos;
    return types.count("all") || types.count(snap ? "snapshot" : "filesystem");
  };
  auto add_tree = [&](const std::string& root) {
    std::vector<std::string> candidates = {root};
    if (recursive) {
      for (const std::string& c : Children(s, root)) candidates.push_back(c);
      for (const std::string& d : std::vector<std::string>(candidates)) {
        for (const std::string& sn : SnapshotsOf(s, d)) candidates.push_back(sn);
      }
    }
    for (const std::string& c : candidates) {
      size_t level =
          std::count(c.begin(), c.end(), '/') - std::count(root.begin(), root.end(), '/');
      if (depth >= 0 && static_cast<int>(level) > depth) continue;
      if (want(c) || c == root) names.push_back(c);
    }
  };
  if (operands.empty()) {
    // Without operands every pool is a root; -d counts levels below them.
    auto shallow = [&](const std::string& n) {
      return depth < 0 || static_cast<int>(std::count(n.begin(), n.end(), '/')) <= depth;
    };
    for (auto& [n, _] : Datasets(s).items())
      if (want(n) && shallow(n)) names.push_back(n);
    for (auto& [n, _] : Snapshots(s).items())
      if (want(n) && shallow(n)) names.push_back(n);
  } else {
    for (const std::string& o : operands) {
      bool exists = o.find('@') != std::string::npos ? Snapshots(s).contains(o) : HasDataset(s, o);
      if (!exists) Fail(1, "cannot open '" + o + "': dataset does not exist");
      add_tree(o);
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

void PrintTable(const std::vector<std::vector<std::string>>& rows, bool scripted,
                const std::vector<std::string>& header) {
  if (scripted) {
    for (const auto& row : rows) std::cout << Join(row, "\t") << "\n";
    return;
  }
  std::vector<size_t> width(header.size(), 0);
  for (size_t c = 0; c < header.size(); ++c) width[c] = header[c].size();
  for (const auto& row : rows)
    for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  auto print = [&](const std::vector<std::string>& row) {
    for (size_t c = 0; c < row.size(); ++c) {
      std::cout << row[c];
      if (c + 1 < row.size()) std::cout << std::string(width[c] - row[c].size() + 2, ' ');
    }
    std::cout << "\n";
  };
  print(header);
  for (const auto& row : rows) print(row);
}

int List(State& s, const std::vector<std::string>& args) {
  std::vector<std::string> ops;
  auto options = GetOpt(args, "Hprd:o:s:S:t:", &ops, Usage);
  bool scripted = false, parsable = false, recursive = false;
  int depth = -1;
  std::vector<std::string> columns = {"name", "used", "avail", "refer", "mountpoint"};
  std::set<std::string> types = {"filesystem"};
  for (const auto& [flag, value] : options) {
    if (flag == 'H') scripted = true;
    if (flag == 'p') parsable = true;
    if (flag == 'r') recursive = true;
    if (flag == 'd') {
      recursive = true;
      depth = std::stoi(value);
    }
    if (flag == 'o') columns = Split(value, ',');
    if (flag == 't') {
      types.clear();
      for (auto& t : Split(value, ',')) types.insert(t == "snap" ? "snapshot" : t);
    }
  }
  std::vector<std::vector<std::string>> rows;
  for (const std::string& n : Selected(s, ops, recursive, depth, types)) {
    bool snap = n.find('@') != std::string::npos;
    if (!(types.count("all") || types.count(snap ? "snapshot" : "filesystem"))) continue;
    std::vector<std::string> row;
    row.reserve(columns.size());
    for (const std::string& c : columns) row.push_back(Property(s, n, c, parsable));
    rows.push_back(row);
  }
  std::vector<std::string> header;
  for (std::string c : columns) {
    for (char& ch : c) ch = static_cast<char>(toupper(ch));
    header.push_back(c);
  }
  PrintTable(rows, scripted, header);
  return 0;
}

int Get(State& s, const std::vector<std::string>& args) {
  std::vector<std::string> ops;
  auto options = GetOpt(args, "Hprd:o:s:t:", &ops, Usage);
  if (ops.size() < 2)
    Fail(2,
         "missing property or dataset argument\nusage: zfs get [-rHp] [-d max] [-o field[,...]] "
         "[-t type[,...]] [-s source[,...]] <\"all\" | property[,...]> "
         "[filesystem|volume|snapshot] ...");
  bool scripted = false, parsable = false;
  std::vector<std::string> fields = {"name", "property", "value", "source"};
  for (const auto& [flag, value] : options) {
    if (flag == 'H') scripted = true;
    if (flag == 'p') parsable = true;
    if (flag == 'o') fields = Split(value, ',');
  }
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 1; i < ops.size(); ++i) {
    const std::string& n = ops[i];
    bool exists = n.find('@') != std::string::npos ? Snapshots(s).contains(n) : HasDataset(s, n);
    if (!exists) Fail(1, "cannot open '" + n + "': dataset does not exist");
    for (const std::string& prop : Split(ops[0], ',')) {
      std::vector<std::string> row;
      for (const std::string& f : fields) {
        if (f == "name")
          row.push_back(n);
        else if (f == "property")
          row.push_back(prop);
        else if (f == "value")
          row.push_back(Property(s, n, prop, parsable));
        else if (f == "source")
          row.push_back(prop.find(':') != std::string::npos ? "local" : "default");
        else
          row.push_back("-");
      }
      rows.push_back(row);
    }
  }
  std::vector<std::string> header;
  for (std::string f : fields) {
    for (char& ch : f) ch = static_cast<char>(toupper(ch));
    header.push_back(f);
  }
  PrintTable(rows, scripted, header);
  return 0;
}

int Set(State& s, const std::vector<std::string>& args) {
  std::vector<std::string> ops;
  GetOpt(args, "", &ops, Usage);
  if (ops.size() < 2)
    Fail(2,
         "missing property=value argument\nusage: zfs set <property=value> ... "
         "<filesystem|volume|snapshot> ...");
  const std::string& name = ops.back();
  if (!HasDataset(s, name)) Fail(1, "cannot open '" + name + "': dataset does not exist");
  for (size_t i = 0; i + 1 < ops.size(); ++i) {
    size_t eq = ops[i].find('=');
    if (eq == std::string::npos) Fail(2, "missing '=' for property: " + ops[i]);
    std::string prop = ops[i].substr(0, eq), value = ops[i].substr(eq + 1);
    if (prop == "mountpoint") {
      std::string old_mp = Datasets(s)[name]["mountpoint"];
      if (Busy(s, old_mp)) Fail(1, "cannot unmount '" + old_mp + "': pool or dataset is busy");
      fs::create_directories(fs::path(s.Real(value)).parent_path());
      if (IsDirectory(s.Real(old_mp)) && !Exists(s.Real(value)))
        fs::rename(s.Real(old_mp), s.Real(value));
      fs::create_directories(s.Real(value));
      Datasets(s)[name]["mountpoint"] = value;
      Datasets(s)[name]["mountpoint_local"] = true;
    } else {
      Datasets(s)[name]["props"][prop] = value;
    }
  }
  return 0;
}

}  // namespace

int Zfs(State& s, const std::vector<std::string>& args) {
  if (s.json()["pools"].empty()) Fail(1, "The ZFS modules cannot be auto-loaded.");
  if (args.empty()) Fail(2, "usage: zfs command args ...");
  std::vector<std::string> rest(args.begin() + 1, args.end());
  const std::string& sub = args[0];
  if (sub == "create") return Create(s, rest);
  if (sub == "snapshot" || sub == "snap") return Snapshot(s, rest);
  if (sub == "clone") return Clone(s, rest);
  if (sub == "destroy") return Destroy(s, rest);
  if (sub == "rename") return Rename(s, rest);
  if (sub == "list") return List(s, rest);
  if (sub == "get") return Get(s, rest);
  if (sub == "set") return Set(s, rest);
  Fail(2, "unrecognized command '" + sub + "'\nusage: zfs command args ...");
}

}  // namespace sim
