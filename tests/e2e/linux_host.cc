#include "e2e/linux_host.h"

#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "runtime/linux/cgroup.h"
#include "support/debian_tree.h"
#include "support/not_run.h"

namespace ljail::testing {

void LinuxHostTest::SetUp() {
  if (::geteuid() != 0) {
    LJAIL_NOT_RUN("the Linux runtime needs root (namespaces, mounts); CI runs as root");
  }
  std::string why;
  std::optional<std::string> cache = DebianCacheDir(&why);
  if (!cache) LJAIL_NOT_RUN("no Debian tree: " << why);
  cache_dir_ = *cache;
  root_ = std::make_unique<TempDir>();
}

void LinuxHostTest::TearDown() {
  if (!root_) return;
  // Whatever a test left is destroyed by ljail itself (which stops it
  // first), then the promise is checked: no mount in the host's table, no
  // runtime state, no jail storage; templates alone stay.
  std::error_code missing;
  for (const auto& e : std::filesystem::directory_iterator(Real("/etc/jail.conf.d"), missing)) {
    std::string name = e.path().stem().string();
    RunResult r = Ljail({"destroy", "--force", name});
    EXPECT_EQ(r.exit_code, 0) << "destroy " << name << ": " << r.err;
  }
  EXPECT_EQ(HostMountsUnderRoot(), std::vector<std::string>{})
      << "a jail mount leaked into the host's mount table";
  std::vector<std::string> left;
  for (const char* dir : {"/run/ljail", "/var/lib/ljail/jails/containers"}) {
    for (const auto& e : std::filesystem::directory_iterator(Real(dir), missing)) {
      // The lock files (src/host/lock.h) stay by design: flock's, never
      // stale, in a directory the boot clears; destroy removes its jail's.
      if (e.path().filename() != ".locks") left.push_back(e.path().string());
    }
  }
  // Nor a cgroup: the jails of this root have theirs below one parent.
  std::string parent = host::linux_ns::JailCgroupPath(root_->path(), "-");
  parent.resize(parent.size() - 2);
  for (const host::linux_ns::CgroupHierarchy& h : host::linux_ns::MountedCgroups()) {
    if (std::filesystem::exists(h.mount_point + "/" + parent))
      left.push_back(h.mount_point + "/" + parent);
  }
  EXPECT_EQ(left, std::vector<std::string>{})
      << "runtime state, jail storage or a cgroup left behind";
  root_.reset();
}

RunResult LinuxHostTest::Ljail(const std::vector<std::string>& args) const {
  std::vector<std::string> all = {"--root", root_->path()};
  all.insert(all.end(), args.begin(), args.end());
  return RunLjail(all);
}

std::unique_ptr<StartedProgram> LinuxHostTest::StartLjail(
    const std::vector<std::string>& args) const {
  std::vector<std::string> all = {"--root", root_->path()};
  all.insert(all.end(), args.begin(), args.end());
  return std::make_unique<StartedProgram>(LJAIL_BINARY, all);
}

RunResult LinuxHostTest::LjailWithEnv(const std::string& assignment,
                                      const std::vector<std::string>& args) const {
  std::vector<std::string> all = {assignment, LJAIL_BINARY, "--root", root_->path()};
  all.insert(all.end(), args.begin(), args.end());
  return RunProgram("/usr/bin/env", all);
}

void LinuxHostTest::GiveTheRootTheHostsFiles() {
  std::filesystem::create_directories(Real("/etc"));
  std::ofstream(Real("/etc/resolv.conf"), std::ios::trunc)
      << "# the tests' own resolver (tests/support/test-dns)\nnameserver " << kTestResolver << "\n";
  // The keyring and apt sources are host paths too (a template build from
  // the archive reads them under --root).
  const std::string keyring = "/usr/share/keyrings/debian-archive-keyring.gpg";
  std::filesystem::create_directories(Real("/usr/share/keyrings"));
  if (std::filesystem::exists(keyring) && !std::filesystem::exists(Real(keyring)))
    std::filesystem::copy_file(keyring, Real(keyring));
  if (!std::filesystem::exists(Real("/etc/apt"))) {
    std::filesystem::create_directories(Real("/etc/apt"));
    std::filesystem::copy("/etc/apt", Real("/etc/apt"), std::filesystem::copy_options::recursive);
  }
  if (std::filesystem::exists("/usr/share/zoneinfo/Etc/UTC") &&
      !std::filesystem::exists(Real("/usr/share/zoneinfo"))) {
    std::filesystem::create_directory_symlink("/usr/share/zoneinfo", Real("/usr/share/zoneinfo"));
  }
}

void LinuxHostTest::GiveTheRootTheHostsResolver() {
  std::filesystem::create_directories(Real("/etc"));
  std::filesystem::copy_file("/etc/resolv.conf", Real("/etc/resolv.conf"),
                             std::filesystem::copy_options::overwrite_existing);
}

std::string LinuxHostTest::ImportTemplate(const std::string& suite) {
  std::string dir = cache_dir_;
  if (suite != "bookworm") {
    std::string why;
    std::optional<std::string> other = DebianCacheDir(&why, suite);
    EXPECT_TRUE(other.has_value()) << why;
    if (!other) return "";
    dir = *other;
  }
  RunResult r = Ljail({"template", "build", "debian:" + suite, "--from-tarball",
                       dir + "/" + suite + "-amd64-minbase.tar"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  RunResult list = Ljail({"template", "list", "--json"});
  std::string name;
  for (const auto& t : nlohmann::json::parse(list.out)) {
    if (t.at("name").get<std::string>().find("-" + suite + "-") != std::string::npos)
      name = t.at("name").get<std::string>();
  }
  EXPECT_FALSE(name.empty()) << list.out;
  if (suite == "bookworm") template_ = name;
  return name;
}

void LinuxHostTest::CreateJail(const std::string& name, const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"create", name, "--template", template_};
  args.insert(args.end(), extra.begin(), extra.end());
  RunResult r = Ljail(args);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
}

void LinuxHostTest::EditConfig(const std::string& name,
                               const std::function<void(jailconf::ConfigDocument&)>& edit) {
  std::string path = Real("/etc/jail.conf.d/" + name + ".conf");
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  jailconf::ConfigDocument doc(path, text.str());
  edit(doc);
  std::ofstream(path, std::ios::trunc) << doc.text();
}

std::string LinuxHostTest::Exec(const std::string& name, const std::vector<std::string>& argv,
                                const std::string& user) {
  std::vector<std::string> args = {"exec", name};
  if (!user.empty()) args.insert(args.end(), {"-u", user});
  args.push_back("--");
  args.insert(args.end(), argv.begin(), argv.end());
  RunResult r = Ljail(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

std::vector<std::string> LinuxHostTest::HostMountsUnderRoot() const {
  std::vector<std::string> out;
  std::ifstream in("/proc/self/mountinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.find(root_->path()) != std::string::npos) out.push_back(line);
  }
  return out;
}

pid_t LinuxHostTest::KeeperPid(const std::string& name) const {
  std::ifstream in(Real("/run/ljail/" + name + "/keeper.json"));
  if (!in) return 0;
  return nlohmann::json::parse(in).at("pid").get<pid_t>();
}

std::vector<pid_t> LinuxHostTest::ProcessesInNamespaceOf(pid_t pid) {
  std::vector<pid_t> out;
  std::error_code error;
  std::string ns = std::filesystem::read_symlink("/proc/" + std::to_string(pid) + "/ns/pid", error);
  if (error) return out;
  for (const auto& e : std::filesystem::directory_iterator("/proc")) {
    std::string n = e.path().filename().string();
    if (n.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string other = std::filesystem::read_symlink(e.path() / "ns/pid", error);
    if (!error && other == ns && ProcessAlive(std::stoi(n))) out.push_back(std::stoi(n));
  }
  return out;
}

pid_t LinuxHostTest::WaitForProcessInNamespaceOf(pid_t pid, const std::string& comm,
                                                 std::chrono::seconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    for (pid_t p : ProcessesInNamespaceOf(pid)) {
      std::ifstream in("/proc/" + std::to_string(p) + "/comm");
      std::string name;
      if (std::getline(in, name) && name == comm) return p;
    }
    if (!ProcessAlive(pid)) return 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return 0;
}

bool ProcessAlive(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  try {
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  } catch (const std::ios_base::failure&) {
    return false;  // read(2) fails with ESRCH once the process is gone
  }
  size_t close = text.rfind(')');
  return close != std::string::npos && close + 2 < text.size() && text[close + 2] != 'Z';
}

}  // namespace ljail::testing
