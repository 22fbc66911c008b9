#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim.h"

namespace fs = std::filesystem;

namespace sim {

void Fail(int code, const std::string& message) { throw Exit{code, message}; }

State::State(std::string dir, int lock_fd) : dir_(std::move(dir)), lock_fd_(lock_fd) {
  std::ifstream in(dir_ + "/state.json");
  json_ = nlohmann::json::parse(in);
}

State::State(State&& other) noexcept
    : dir_(std::move(other.dir_)), lock_fd_(other.lock_fd_), json_(std::move(other.json_)) {
  other.lock_fd_ = -1;
}

State::~State() {
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

namespace {
int LockDirectory(const std::string& dir) {
  std::string lock = dir + "/state.lock";
  int fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0 || ::flock(fd, LOCK_EX) != 0) Fail(70, "freebsd-sim: cannot lock " + lock);
  return fd;
}
}  // namespace

State State::Open() {
  const char* dir = std::getenv("LJAIL_SIM_STATE");
  if (!dir || !*dir)
    Fail(70, "freebsd-sim: LJAIL_SIM_STATE is not set (use tests/freebsd-sim/run)");
  return State(dir, LockDirectory(dir));
}

void State::Lock() {
  if (lock_fd_ >= 0) return;
  lock_fd_ = LockDirectory(dir_);
  std::ifstream in(dir_ + "/state.json");
  json_ = nlohmann::json::parse(in);
}

void State::Save() {
  std::string path = dir_ + "/state.json";
  std::string temp = path + ".tmp";
  std::ofstream(temp) << json_.dump(1) << "\n";
  fs::rename(temp, path);
}

void State::Unlock() {
  if (lock_fd_ >= 0) ::close(lock_fd_);
  lock_fd_ = -1;
}

std::string State::Real(const std::string& host_path) const {
  if (host_path.empty() || host_path[0] != '/') return dir_ + "/root/" + host_path;
  return dir_ + "/root" + host_path;
}

std::string State::Resolve(const std::string& host_path) const {
  // The deepest mount covering the path wins (mounts stack in order).
  const nlohmann::json* best = nullptr;
  size_t best_length = 0;
  for (const nlohmann::json& m : json_["mounts"]) {
    std::string mp = m["mountpoint"];
    bool covers = host_path == mp || host_path.rfind(mp + "/", 0) == 0;
    if (covers && mp.size() >= best_length) {
      best = &m;
      best_length = mp.size();
    }
  }
  if (!best) return Real(host_path);
  std::string rest = host_path.substr(best_length);
  if ((*best)["fstype"] == "nullfs") return Resolve((*best)["device"].get<std::string>() + rest);
  return (*best)["backing"].get<std::string>() + rest;
}

std::string State::HostPath(const std::string& real) const {
  std::string root = dir_ + "/root";
  if (real == root) return "/";
  if (real.rfind(root + "/", 0) != 0) return "";
  return real.substr(root.size());
}

void State::Init(const std::string& dir) {
  for (const char* d :
       {"root/etc/defaults", "root/etc/jail.conf.d", "root/home", "root/tmp", "root/var/run",
        "root/var/db", "root/zroot", "root/usr/local/etc", "snapshots", "vfs"}) {
    fs::create_directories(dir + "/" + d);
  }
  WriteText(dir + "/root/etc/defaults/rc.conf",
            "# Simulated /etc/defaults/rc.conf (the variables ljail reads).\n"
            "linux_enable=\"NO\"\nlinux_mounts_enable=\"YES\"\n"
            "jail_enable=\"NO\"\njail_conf=\"/etc/jail.conf\"\njail_list=\"\"\n"
            "jail_parallel_start=\"NO\"\njail_reverse_stop=\"NO\"\n"
            "rc_conf_files=\"/etc/rc.conf /etc/rc.conf.local\"\n");
  WriteText(dir + "/root/etc/rc.conf", "hostname=\"laptop\"\nzfs_enable=\"YES\"\n");
  // A FreeBSD host with local_unbound(8) (bsdinstall's default) lists its
  // own loopback; the simulated host's resolvers stay on loopback in any
  // case (the network rule, docs/testing.md): a test that needs one that
  // answers runs it itself (tests/support/test-dns).
  WriteText(dir + "/root/etc/resolv.conf", "nameserver 127.0.0.1\n");
  // FreeBSD's tzsetup copies the zone file to /etc/localtime and records
  // its name in /var/db/zoneinfo; /usr/share/zoneinfo is in base. The zone
  // files are this machine's: the compiled format is the same.
  for (const char* zone : {"Asia/Shanghai", "Etc/UTC", "Europe/Berlin"}) {
    std::string from = std::string("/usr/share/zoneinfo/") + zone;
    std::string text = Exists(from) ? ReadText(from) : std::string("TZif2 simulated ") + zone;
    fs::create_directories(fs::path(dir + "/root" + from).parent_path());
    WriteText(dir + "/root" + from, text);
  }
  WriteText(dir + "/root/etc/localtime", ReadText(dir + "/root/usr/share/zoneinfo/Asia/Shanghai"));
  WriteText(dir + "/root/var/db/zoneinfo", "Asia/Shanghai\n");
  nlohmann::json state = {
      {"pools", {"zroot"}},
      {"datasets",
       {{"zroot",
         {{"mountpoint", "/zroot"}, {"origin", "-"}, {"props", nlohmann::json::object()}}}}},
      {"snapshots", nlohmann::json::object()},
      {"mounts", nlohmann::json::array()},
      {"jails", nlohmann::json::array()},
      {"next_jid", 1},
      {"kld_files", {"kernel", "zfs"}},
      {"sysctls",
       {{"kern.osrelease", "14.3-RELEASE-p1"},
        {"kern.osreldate", "1403000"},
        {"hw.machine_arch", "amd64"},
        {"kern.features.inet6", "1"},
        {"security.jail.jailed", "0"},
        {"kern.securelevel", "-1"}}},
      {"updates", nlohmann::json::object()},
      // devfs rulesets the kernel knows: the built-in ones of
      // /etc/defaults/devfs.rules, loaded at boot by rc.d/devfs.
      {"devfs_rulesets",
       {{"1", "devfsrules_hide_all"},
        {"2", "devfsrules_unhide_basic"},
        {"3", "devfsrules_unhide_login"},
        {"4", "devfsrules_jail"}}},
      {"next_vfs", 1},
      // ifconfig(8)'s view: the loopback and one wired interface with a
      // documentation address (RFC 5737; nothing is sent from it). Bridges
      // and epairs are made by the jails' lines (ifconfig.cc).
      {"interfaces",
       {{"lo0",
         {{"kind", "loopback"},
          {"up", true},
          {"description", ""},
          {"inet", {"127.0.0.1/8"}},
          {"members", nlohmann::json::array()}}},
        {"em0",
         {{"kind", "ether"},
          {"up", true},
          {"description", ""},
          {"inet", {"192.0.2.10/24"}},
          {"members", nlohmann::json::array()}}}}},
  };
  std::ofstream(dir + "/state.json") << state.dump(1) << "\n";
}

std::vector<std::pair<char, std::string>> GetOpt(const std::vector<std::string>& args,
                                                 const std::string& spec,
                                                 std::vector<std::string>* operands,
                                                 const std::function<void(char)>& usage) {
  std::vector<std::pair<char, std::string>> options;
  size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      ++i;
      break;
    }
    if (a.size() < 2 || a[0] != '-') break;
    for (size_t k = 1; k < a.size(); ++k) {
      char c = a[k];
      size_t at = spec.find(c);
      if (c == ':' || at == std::string::npos) usage(c);
      if (at + 1 < spec.size() && spec[at + 1] == ':') {
        std::string value = a.substr(k + 1);
        if (value.empty()) {
          if (i + 1 >= args.size()) usage(c);
          value = args[++i];
        }
        options.emplace_back(c, value);
        break;
      }
      options.emplace_back(c, "");
    }
  }
  operands->assign(args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
  return options;
}

bool Exists(const std::string& real) {
  struct stat st {};
  return ::lstat(real.c_str(), &st) == 0;
}

bool IsDirectory(const std::string& real) {
  struct stat st {};
  return ::stat(real.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool IsSymlink(const std::string& real) {
  struct stat st {};
  return ::lstat(real.c_str(), &st) == 0 && S_ISLNK(st.st_mode);
}

std::string ReadText(const std::string& real) {
  std::ifstream in(real, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void WriteText(const std::string& real, const std::string& text) {
  fs::create_directories(fs::path(real).parent_path());
  std::ofstream(real, std::ios::binary) << text;
}

std::string FirstSymlink(const State& state, const std::string& host_path,
                         const std::string& below) {
  std::string prefix = below == "/" ? "" : below;
  if (host_path.rfind(prefix, 0) != 0) return "";
  std::string current = prefix;
  for (const std::string& part : Split(host_path.substr(prefix.size()), '/')) {
    if (part.empty()) continue;
    current += "/" + part;
    if (IsSymlink(state.Resolve(current))) return current;
  }
  return "";
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines = Split(text, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string current;
  for (char c : text) {
    if (c == separator) {
      parts.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  parts.push_back(current);
  return parts;
}

std::string Join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? separator : "") + parts[i];
  return out;
}

}  // namespace sim
