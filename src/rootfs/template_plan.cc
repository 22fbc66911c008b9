#include "rootfs/template_plan.h"

#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <regex>

#include "core/archive.h"
#include "core/error.h"
#include "core/file_hash.h"
#include "core/safe_remove.h"
#include "core/strings.h"
#include "rootfs/apt_sources.h"
#include "rootfs/bootstrap.h"

namespace ljail::rootfs {
namespace {

using host::Action;
using host::Host;
using host::Step;

std::string NowUtc() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buffer[32];
  size_t n = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buffer, n);
}

bool IsEmptyOrMissing(const Host& host, const std::string& path) {
  return !host.Exists(path) || (host.IsDirectory(path) && host.ListDirectory(path).empty());
}

// debootstrap removes TARGET/debootstrap when both stages succeeded; a
// second stage that failed leaves it, with the log, and unconfigured packages.
void CheckSecondStage(const Host& host, const std::string& tree) {
  TreeFs t = host.Tree(tree);
  std::string status = t.ReadFile("/var/lib/dpkg/status").value_or("");
  std::vector<std::string> pending = UnconfiguredPackages(status);
  bool leftover = t.IsDirectory("/debootstrap");
  if (status.empty() || leftover || !pending.empty()) {
    std::string log = t.ReadFile("/debootstrap/debootstrap.log").value_or("");
    std::vector<std::string> lines = SplitLines(log);
    std::string tail;
    for (size_t i = lines.size() > 8 ? lines.size() - 8 : 0; i < lines.size(); ++i)
      tail += "\n  " + lines[i];
    std::string which;
    for (size_t i = 0; i < pending.size() && i < 8; ++i) which += (i ? ", " : "") + pending[i];
    ThrowFailure(fmt::format(
        "the second stage did not finish in {}{}{}{}. ljail does not force it with dpkg "
        "--force-depends (the trap Bastille fell into); on FreeBSD check that linux64 is loaded "
        "(ljail host check), then run the command again",
        tree, which.empty() ? "" : ": unconfigured packages " + which,
        status.empty() ? ": no dpkg status" : "",
        tail.empty() ? "" : "; end of debootstrap.log:" + tail));
  }
}

// A template must not carry the identity of the host that built it: each
// jail gets its own hostname, resolv.conf and machine-id.
void ScrubIdentity(const Host& host, const std::string& tree) {
  TreeFs t = host.Tree(tree);
  t.WriteFile("/etc/hostname", "localhost\n");
  t.WriteFile("/etc/hosts", "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
  // An empty machine-id means "not yet generated" (machine-id(5)).
  if (t.Exists("/etc/machine-id")) t.WriteFile("/etc/machine-id", "", 0444);
  for (const char* stale : {"/var/lib/dbus/machine-id", "/etc/resolv.conf"}) t.Remove(stale);
}

Manifest BuildManifest(const Host& host, const TemplateRequest& r, const std::string& tree,
                       const std::string& source) {
  Manifest m;
  m.name = r.name;
  m.key = r.key;
  m.source = source;
  m.ljail_version = LJAIL_VERSION;
  m.created = NowUtc();
  TreeFs t = host.Tree(tree);
  auto os = ReadOsRelease(t);
  m.pretty_name = os["PRETTY_NAME"];
  m.codename = os["VERSION_CODENAME"];
  m.packages = ReadDpkgStatus(t.ReadFile("/var/lib/dpkg/status").value_or(""));
  return m;
}

void ImportTarball(const Host& host, const TemplateRequest& r, const std::string& tree) {
  ExtractOptions options;  // numeric owners, xattrs: what the tarball says
  host.ExtractArchive(r.tarball, tree, options);
  TreeFs t = host.Tree(tree);
  auto os = ReadOsRelease(t);
  if (os["ID"] != r.key.distro) {
    ThrowFailure(fmt::format("{}: the tarball holds \"{}\", not {} (os-release ID)", r.tarball,
                             os["ID"], r.key.distro));
  }
  if (!t.Exists("/var/lib/dpkg/status")) {
    ThrowFailure(fmt::format(
        "{}: no /var/lib/dpkg/status in the tarball: not a Debian or Ubuntu tree", r.tarball));
  }
}

}  // namespace

std::string ManifestPath(const Host& host, const std::string& name) {
  return host::StateDir(host) + "/templates/" + name + ".json";
}

TemplateRequest MakeTemplateRequest(const Host& host, const Settings& settings,
                                    const TemplateOptions& o, const TemplateHost& os) {
  auto [distro, suite] = SplitDistroSuite(o.distro_suite);
  std::string default_mirror = distro == "ubuntu" ? settings.ubuntu_mirror : settings.debian_mirror;
  if (os.host_apt_mirror && default_mirror == (distro == "ubuntu" ? Settings{}.ubuntu_mirror
                                                                  : Settings{}.debian_mirror)) {
    // No mirror chosen in the settings: the one the host's apt already uses.
    if (std::string apt = HostAptArchive(host, distro); !apt.empty()) default_mirror = apt;
  }
  std::string mirror = o.mirror.empty() ? default_mirror : o.mirror;
  // Options that contradict each other are refused, not resolved quietly.
  if (o.no_check_gpg && !o.keyring.empty())
    ThrowUsage("--no-check-gpg and --keyring contradict each other: give one");
  if (!o.tarball.empty() && (!o.mirror.empty() || !o.keyring.empty() || o.no_check_gpg)) {
    ThrowUsage(
        "--from-tarball: the tree comes from the file; --mirror, --keyring and --no-check-gpg "
        "are for a build from an archive");
  }
  TemplateRequest r;
  r.os = os;
  if (!o.tarball.empty()) {
    if (!std::filesystem::is_regular_file(o.tarball)) {
      ThrowUsage(fmt::format("--from-tarball \"{}\": no such file", o.tarball));
    }
    mirror = "tarball:" + IdentityHash(o.tarball);
    r.tarball = o.tarball;
  }
  r.key = MakeTemplateKey(o.distro_suite, o.arch.empty() ? os.debian_arch(host) : o.arch, o.variant,
                          o.include, mirror);
  r.name = r.key.Name(default_mirror);
  r.check_gpg = !o.no_check_gpg && r.tarball.empty();
  r.keyring = o.keyring.empty() ? DefaultKeyring(os.keyring_dir, distro) : o.keyring;
  if (r.check_gpg && !host.Exists(r.keyring)) {
    ThrowUsage(fmt::format(
        "no {} archive keyring at {}: debootstrap would not check signatures. Install it there "
        "({} package{}), give a copy with --keyring FILE, or pass --no-check-gpg (not recommended)",
        distro, r.keyring,
        distro == "ubuntu" ? "Ubuntu's ubuntu-keyring" : "Debian's debian-archive-keyring",
        os.keyring_origin));
  }
  (void)suite;
  return r;
}

namespace {

// What builds the tree: an empty start if an earlier build did not finish,
// then the tarball, mmdebstrap, or debootstrap with its second stage checked.
void BootstrapActions(const Host& host, const TemplateRequest& r, const std::string& tree,
                      bool use_mmdebstrap, Step* bootstrap_step) {
  Step& bootstrap = *bootstrap_step;
  if (!IsEmptyOrMissing(host, tree)) {
    bootstrap.detail = "an earlier build did not finish: starting again from an empty tree";
    bootstrap.actions.push_back(Action::Custom(
        "empty " + tree + " (no symlink followed, no mount entered)", [tree](const Host& h) {
          RemoveResult rr = h.RemoveTree(tree, true);
          if (!rr.mount_points_kept.empty()) {
            ThrowFailure("mounts remain under " + tree + ": " + rr.mount_points_kept.front());
          }
        }));
  }
  // On Linux the tools run on the real file system, so --root applies to
  // the paths they get; on FreeBSD the simulator applies it itself.
  bool real_paths = r.os.tools_see_real_paths;
  BootstrapOptions bo{r.key, real_paths ? host.Real(tree) : tree,  // real-path-ok: tool argv
                      real_paths && r.check_gpg ? host.Real(r.keyring) : r.keyring,  // real-path-ok
                      r.check_gpg};
  if (!r.tarball.empty()) {
    bootstrap.actions.push_back(Action::Custom(
        fmt::format("extract {} into {} (libarchive, numeric owners, xattrs)", r.tarball, tree),
        [r, tree](const Host& h) { ImportTarball(h, r, tree); }));
  } else if (use_mmdebstrap) {
    bootstrap.actions.push_back(Action::RunWithProgress(MmdebstrapCommand(bo)));
  } else {
    bootstrap.actions.push_back(Action::RunWithProgress(DebootstrapCommand(bo)));
    bootstrap.actions.push_back(
        Action::Custom("check that debootstrap's second stage finished (no " + tree +
                           "/debootstrap, every package configured)",
                       [tree](const Host& h) { CheckSecondStage(h, tree); }));
  }
}

}  // namespace

std::vector<Step> TemplateBuildSteps(const Host& host, const host::Storage& storage,
                                     const TemplateRequest& r) {
  const std::string sname = "templates/" + r.name;
  const std::string tree = storage.Path(sname);
  const std::string manifest_path = ManifestPath(host, r.name);
  const bool sealed = storage.HasSnapshot(sname, "base");
  const bool built = host.Exists(manifest_path);
  const std::string label = fmt::format("{}:{} ({})", r.key.distro, r.key.suite, r.name);
  std::vector<Step> steps;

  Step area{fmt::format("template {} {}", storage.Kind() == "zfs" ? "dataset" : "directory",
                        storage.Kind() == "zfs" ? storage.Dataset(sname) : tree),
            sealed || storage.Exists(sname),
            "",
            {}};
  if (!area.done) area.actions.push_back(storage.Create(sname));
  steps.push_back(area);

  bool use_mmdebstrap = r.os.mmdebstrap && !ToolVersion(host, "mmdebstrap").empty();
  std::string tool =
      r.tarball.empty() ? (use_mmdebstrap ? "mmdebstrap" : "debootstrap") : "tarball";
  Step bootstrap{r.tarball.empty() ? fmt::format("{} {}", tool, label)
                                   : fmt::format("import {} as {}", r.tarball, label),
                 sealed || built,
                 "",
                 {}};
  if (!bootstrap.done) {
    if (r.tarball.empty() && ToolVersion(host, tool).empty()) {
      ThrowFailure(fmt::format("{} is not installed: {}", tool, r.os.install_hint));
    }
    if (r.os.check_second_stage) r.os.check_second_stage(host);
    BootstrapActions(host, r, tree, use_mmdebstrap, &bootstrap);
  }
  steps.push_back(bootstrap);

  std::string source = r.tarball.empty() ? ToolVersion(host, tool) : "tarball " + r.tarball;
  Step scrub{"host identity scrubbed (hostname, hosts, resolv.conf, machine-id), manifest written",
             sealed || built,
             "",
             {}};
  if (!scrub.done) {
    scrub.actions.push_back(Action::Custom(
        "write localhost into etc/hostname and etc/hosts, empty etc/machine-id, remove "
        "etc/resolv.conf; record " +
            manifest_path,
        [r, tree, manifest_path, source](const Host& h) {
          ScrubIdentity(h, tree);
          h.MakeDirectories(manifest_path.substr(0, manifest_path.rfind('/')), 0700);
          h.WriteFile(manifest_path, ManifestToJson(BuildManifest(h, r, tree, source)));
        }));
  }
  steps.push_back(scrub);

  Step snapshot{"snapshot @base of " + r.name, sealed, "", {}};
  if (!sealed) snapshot.actions.push_back(storage.Snapshot(sname, "base"));
  steps.push_back(snapshot);
  if (sealed) {
    for (Step& s : steps) s.detail = "template sealed at @base";
  }
  if (!r.check_gpg && r.tarball.empty() && !sealed) {
    steps[1].detail = "WARNING: --no-check-gpg: the archive's signatures are not checked";
  }
  return steps;
}

host::Plan MakeTemplateBuildPlan(const Host& host, const host::Storage& storage,
                                 const TemplateRequest& request) {
  host::Plan plan;
  plan.title = fmt::format("Linux template {}", request.name);
  plan.steps = TemplateBuildSteps(host, storage, request);
  return plan;
}

std::vector<TemplateInfo> ListTemplates(const Host& host, const host::Storage& storage) {
  std::vector<TemplateInfo> out;
  if (!storage.Exists("templates")) return out;
  static const std::regex kLinux("templates/((debian|ubuntu)-.+)");
  for (const std::string& name : storage.List("templates")) {
    std::smatch m;
    if (!std::regex_match(name, m, kLinux)) continue;
    TemplateInfo t;
    t.name = m[1];
    t.path = storage.Path(name);
    t.dataset = storage.Dataset(name);
    t.complete = storage.HasSnapshot(name, "base");
    if (auto text = host.ReadFile(ManifestPath(host, t.name))) t.manifest = ManifestFromJson(*text);
    out.push_back(std::move(t));
  }
  return out;
}

std::optional<TemplateInfo> FindTemplate(const Host& host, const host::Storage& storage,
                                         const std::string& name) {
  for (TemplateInfo& t : ListTemplates(host, storage)) {
    if (t.name == name) return std::move(t);
  }
  return std::nullopt;
}

}  // namespace ljail::rootfs
