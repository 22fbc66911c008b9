#include "runtime/freebsd/release.h"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <regex>

#include "core/archive.h"
#include "core/error.h"
#include "core/strings.h"
#include "host/storage.h"
#include "runtime/freebsd/pkgbase.h"
#include "runtime/freebsd/system.h"

namespace ljail::host::freebsd {
namespace {

// What ljail has verified and done for a template, kept beside its other
// state (/var/db/ljail/releases/NAME.json): the tree itself carries no
// marker, since every jail cloned from it would inherit one.
struct Journal {
  std::string source;            // "sets" or "pkgbase"; "" from before ljail wrote it
  std::string base_sha256;       // base.txz verified against MANIFEST
  std::string extracted_sha256;  // that base.txz fully extracted
  bool installed = false;        // pkgbase: the jail set installed with pkg
  bool updated = false;          // freebsd-update or pkg upgrade done

  static Journal Read(const Host& host, const std::string& path) {
    Journal j;
    std::optional<std::string> text = host.ReadFile(path);
    if (!text) return j;
    nlohmann::json doc = nlohmann::json::parse(*text, nullptr, false);
    if (doc.is_discarded()) return j;  // a torn journal means: redo the steps
    j.source = doc.value("source", "");
    j.base_sha256 = doc.value("base_sha256", "");
    j.extracted_sha256 = doc.value("extracted_sha256", "");
    j.installed = doc.value("installed", false);
    j.updated = doc.value("updated", false);
    if (j.source.empty() && !j.base_sha256.empty()) j.source = "sets";
    return j;
  }

  void Write(const Host& host, const std::string& path) const {
    host.MakeDirectories(path.substr(0, path.rfind('/')), 0700);
    nlohmann::json doc = {{"source", source},
                          {"base_sha256", base_sha256},
                          {"extracted_sha256", extracted_sha256},
                          {"installed", installed},
                          {"updated", updated}};
    host.WriteFile(path, doc.dump(2) + "\n", 0600);
  }
};

struct Paths {
  std::string name;      // storage name
  std::string tree;      // host path of the template
  std::string media;     // download directory
  std::string base;      // media/base.txz
  std::string manifest;  // media/MANIFEST
  std::string journal;
  std::string url;           // the release's directory on the mirror
  std::string pkg_conf_dir;  // pkgbase: ljail's repository configuration for pkg -R
};

std::string TemplateName(const std::string& release, const std::string& arch,
                         const std::string& default_arch) {
  return arch == default_arch ? release : release + "-" + arch;
}

Paths MakePaths(const Host& host, const Settings& settings, const Storage& storage,
                const ReleaseRequest& r) {
  Paths p;
  std::string tname = TemplateName(r.release, r.arch, settings.arch);
  p.name = "templates/" + tname;
  p.tree = storage.Path(p.name);
  p.media = settings.Dir("media") + "/" + r.release + "-" + r.arch;
  p.base = p.media + "/base.txz";
  p.manifest = p.media + "/MANIFEST";
  p.journal = StateDir(host) + "/releases/" + tname + ".json";
  p.url = ReleaseUrl(settings.freebsd_mirror, r.arch, r.release);
  p.pkg_conf_dir = StateDir(host) + "/pkgbase/" + tname;
  return p;
}

Action CopyLocal(const std::string& from, const std::string& to) {
  return Action::Custom(fmt::format("copy {} to {}", from, to), [from, to](const Host& h) {
    std::error_code error;
    std::filesystem::copy_file(from, h.Real(to), std::filesystem::copy_options::overwrite_existing,
                               error);
    if (error) ThrowSystem("copy to", to, error.value());
  });
}

bool SameContent(const Host& host, const std::string& a_host_path, const std::string& b_host_path) {
  std::optional<std::string> a = host.ReadFile(a_host_path);
  std::optional<std::string> b = host.ReadFile(b_host_path);
  return a && b && *a == *b;
}

// A directory with nothing in it, or no directory at all.
bool IsEmptyDir(const Host& host, const std::string& path) {
  std::error_code error;
  bool empty = std::filesystem::is_empty(host.Real(path), error);
  return error ? !host.Exists(path) : empty;
}

// Checks the downloaded base.txz against MANIFEST; a bad file is removed so
// that the next run downloads it afresh instead of resuming garbage.
void VerifyBase(const Host& host, const Paths& p) {
  std::optional<std::string> manifest = host.ReadFile(p.manifest);
  std::optional<ManifestEntry> entry =
      manifest ? FindInManifest(*manifest, "base.txz") : std::nullopt;
  if (!entry) ThrowFailure(fmt::format("{}: no base.txz line", p.manifest));
  std::string actual = RequireSha256(host, p.base, entry->sha256, "base.txz", "MANIFEST says",
                                     ", run the command again to download it afresh");
  Journal j = Journal::Read(host, p.journal);
  j.source = "sets";
  j.base_sha256 = actual;
  j.Write(host, p.journal);
}

void Extract(const Host& host, const Paths& p, std::ostream* progress) {
  Journal j = Journal::Read(host, p.journal);
  std::optional<std::string> manifest = host.ReadFile(p.manifest);
  std::optional<ManifestEntry> entry =
      manifest ? FindInManifest(*manifest, "base.txz") : std::nullopt;
  size_t total = entry ? entry->entries : 0;
  ExtractOptions options;
#ifdef __FreeBSD__
  options.file_flags = true;  // base.txz carries schg flags
#endif
  bool tty = progress && ::isatty(STDERR_FILENO);
  options.progress = [&](size_t n) {
    if (tty && total && (n % 500 == 0 || n == total)) {
      *progress << fmt::format("\r        extracting base.txz: {}/{} entries ({}%)", n, total,
                               n * 100 / total)
                << std::flush;
    }
  };
  size_t n = ExtractArchive(host.Real(p.base), host.Real(p.tree), options);
  if (tty && total) *progress << "\n";
  if (total && n != total) {
    ThrowFailure(fmt::format("base.txz held {} entries, MANIFEST says {}", n, total));
  }
  j.extracted_sha256 = j.base_sha256;
  j.Write(host, p.journal);
}

}  // namespace

std::optional<ManifestEntry> FindInManifest(const std::string& manifest, const std::string& file) {
  for (const std::string& line : SplitLines(manifest)) {
    std::vector<std::string> f = Split(line, '\t');
    if (f.size() < 3 || f[0] != file) continue;
    if (!std::regex_match(f[1], std::regex("[0-9a-f]{64}"))) return std::nullopt;
    ManifestEntry e{f[0], f[1], 0};
    try {
      e.entries = std::stoul(f[2]);
    } catch (const std::exception&) {
      return std::nullopt;
    }
    return e;
  }
  return std::nullopt;
}

std::string ReleaseUrl(const std::string& mirror, const std::string& arch,
                       const std::string& release) {
  // <TARGET>/<TARGET_ARCH>: amd64/amd64, arm64/aarch64 (docs/freebsd.md §7).
  std::string target_arch = arch == "arm64" ? "aarch64" : arch;
  std::string base = mirror;
  while (base.ends_with('/')) base.pop_back();
  return fmt::format("{}/releases/{}/{}/{}", base, arch, target_arch, release);
}

namespace {

// Distribution sets exist up to 15.x, base packages from 15.0 on; 16 has
// only packages (freebsd-base(7); docs/freebsd.md §7).
constexpr int kFirstPkgbaseMajor = 15;
constexpr int kFirstPkgbaseOnlyMajor = 16;

void ValidatePkgbaseRequest(const ReleaseRequest& r) {
  const int major = ReleaseMajor(r.release);
  const bool local_sets = !r.from_file.empty() || !r.manifest_file.empty();
  if (r.source == "pkgbase" && major < kFirstPkgbaseMajor) {
    ThrowUsage(
        fmt::format("--pkgbase: FreeBSD publishes its base as packages from 15.0 on; a {} template "
                    "comes from distribution sets (leave out --pkgbase)",
                    r.release));
  }
  if ((r.source == "sets" || local_sets) && major >= kFirstPkgbaseOnlyMajor) {
    ThrowUsage(fmt::format(
        "{}: FreeBSD {} and later publish no distribution sets (base.txz); its template is "
        "installed with pkg (leave out {})",
        r.release, kFirstPkgbaseOnlyMajor, local_sets ? "--from and --manifest" : "--sets"));
  }
  if (r.source == "pkgbase" && local_sets) {
    ThrowUsage(
        "--from and --manifest name a base.txz, and --pkgbase installs packages instead: "
        "choose one");
  }
  const bool pkgbase = r.source == "pkgbase" || major >= kFirstPkgbaseOnlyMajor;
  if (pkgbase && !r.release.ends_with("-RELEASE")) {
    ThrowUsage(
        fmt::format("{}: pkgbase templates are made of a release's packages (the base_release_N "
                    "repositories); test builds are not among them",
                    r.release));
  }
  if (!r.fingerprints.empty()) {
    if (r.source == "sets" || local_sets || (r.source.empty() && major < kFirstPkgbaseMajor)) {
      ThrowUsage("--fingerprints names the keys of base packages: it goes with --pkgbase");
    }
    if (r.fingerprints[0] != '/') {
      ThrowUsage(
          fmt::format("--fingerprints \"{}\": expected an absolute directory", r.fingerprints));
    }
  }
}

}  // namespace

void ValidateReleaseRequest(const ReleaseRequest& r) {
  if (!IsReleaseName(r.release)) {
    ThrowUsage(fmt::format("release \"{}\": expected a name such as 14.3-RELEASE (or -BETAn, -RCn)",
                           r.release));
  }
  if (r.arch != "amd64" && r.arch != "arm64") {
    ThrowUsage(fmt::format("--arch \"{}\": expected amd64 or arm64", r.arch));
  }
  for (const std::string* file : {&r.from_file, &r.manifest_file}) {
    if (!file->empty() && !std::filesystem::is_regular_file(*file)) {
      ThrowUsage(fmt::format("\"{}\": no such file", *file));
    }
  }
  ValidatePkgbaseRequest(r);
  if (r.manifest_file.empty() && !r.from_file.empty()) {
    std::string beside = std::filesystem::path(r.from_file).parent_path() / "MANIFEST";
    if (!std::filesystem::is_regular_file(beside)) {
      ThrowUsage(
          fmt::format("--from {}: no MANIFEST beside it to check it against; give one with "
                      "--manifest FILE",
                      r.from_file));
    }
  }
}

namespace {

Step ExtractStep(const Host& host, const Paths& p, const Journal& journal, bool sealed) {
  Step extract{"base.txz extracted into " + p.tree,
               sealed || (!journal.extracted_sha256.empty() &&
                          journal.extracted_sha256 == journal.base_sha256),
               "",
               {}};
  if (!extract.done) {
    // A tree left half-extracted may hold schg files that could not be
    // replaced; clear the flags first (the Handbook's chflags -R 0).
    if (!IsEmptyDir(host, p.tree)) {
      extract.detail = "a previous extraction did not finish";
      extract.actions.push_back(Action::Run({"chflags", "-R", "noschg", p.tree}));
    }
    extract.actions.push_back(Action::Custom(
        fmt::format("extract {} into {} (libarchive, like tar -xf --unlink)", p.base, p.tree),
        [p](const Host& h) { Extract(h, p, &std::cerr); }));
  }
  return extract;
}

// The host's resolv.conf and localtime, as the Handbook's jail gets them.
Step HostFilesStep(const Host& host, const Paths& p, bool sealed, bool extracted) {
  Step copies{"resolv.conf and localtime copied from the host", sealed, "", {}};
  if (!sealed) {
    bool all_same = true;
    for (const char* file : {"/etc/resolv.conf", "/etc/localtime"}) {
      std::optional<std::string> content = host.ReadFile(file);
      if (!content) continue;  // nothing to copy
      // The release tree is ljail's own (jails get clones of it).
      std::string target = p.tree + file;  // tree-path-ok
      if (SameContent(host, file, target)) continue;
      all_same = false;
      copies.actions.push_back(Action::Write(target, *content, 0644));
    }
    copies.done = all_same && extracted;
  }
  return copies;
}

Action RecordInJournal(const Paths& p, const std::string& what,
                       const std::function<void(Journal&)>& change) {
  return Action::Custom(fmt::format("record {} in {}", what, p.journal),
                        [p, change](const Host& h) {
                          Journal j = Journal::Read(h, p.journal);
                          change(j);
                          j.Write(h, p.journal);
                        });
}

// The security patches of either source, journalled once done: `patch`
// runs unless the template is sealed, patched already, or --no-update.
Step PatchStep(const std::string& title, const ReleaseRequest& r, const Paths& p,
               const Journal& journal, bool sealed, std::vector<Action> patch) {
  Step step{"security patches (" + title + ")", sealed || journal.updated || !r.update, "", {}};
  if (!r.update && !sealed) step.detail = "skipped: --no-update";
  if (!step.done) {
    step.actions = std::move(patch);
    step.actions.push_back(RecordInJournal(p, "the update", [](Journal& j) { j.updated = true; }));
  }
  return step;
}

Step UpdateStep(const ReleaseRequest& r, const Paths& p, const Journal& journal, bool sealed) {
  // The host kernel's release decides what freebsd-update patches unless
  // told otherwise (§7): name the template's own release. Exit 2 = no
  // updates, which is success here. PAGER=cat: it pages its file lists.
  return PatchStep(
      "freebsd-update", r, p, journal, sealed,
      {Action::RunWithProgress(Command{"freebsd-update", "-b", p.tree, "--currently-running",
                                       r.release, "--not-running-from-cron", "fetch", "install"}
                                   .Env("PAGER", "cat"),
                               {2})});
}

// Where the template comes from: what the request says, else what an
// existing template was made from, else what its release offers.
std::string ChooseSource(const ReleaseRequest& r, const Journal& journal, const Paths& p) {
  if (!r.source.empty() && !journal.source.empty() && r.source != journal.source) {
    ThrowUsage(fmt::format(
        "{} was made from {}, not {}: leave out --{} to finish or keep it (jails cloned from it "
        "stay as they are)",
        p.tree, journal.source == "sets" ? "distribution sets" : "pkgbase packages",
        r.source == "sets" ? "distribution sets" : "pkgbase packages", r.source));
  }
  if (!r.source.empty()) return r.source;
  if (!journal.source.empty()) return journal.source;
  if (!r.from_file.empty()) return "sets";
  return ReleaseMajor(r.release) >= kFirstPkgbaseOnlyMajor ? "pkgbase" : "sets";
}

void AddSetsSteps(const Host& host, const ReleaseRequest& r, const Paths& p, const Journal& journal,
                  bool sealed, Plan& plan) {
  std::string manifest_source = r.manifest_file;
  if (manifest_source.empty() && !r.from_file.empty()) {
    manifest_source = std::filesystem::path(r.from_file).parent_path() / "MANIFEST";
  }
  std::optional<std::string> have_manifest = host.ReadFile(p.manifest);
  Step manifest{"MANIFEST of " + r.release,
                sealed || (have_manifest && FindInManifest(*have_manifest, "base.txz")),
                "",
                {}};
  if (!manifest.done) {
    std::string media = p.media;
    manifest.actions.push_back(
        Action::Custom("mkdir -p " + media, [media](const Host& h) { h.MakeDirectories(media); }));
    manifest.actions.push_back(
        manifest_source.empty()
            ? Action::Run({"fetch", "-q", "-o", p.manifest, p.url + "/MANIFEST"})
            : CopyLocal(manifest_source, p.manifest));
  }
  plan.steps.push_back(manifest);

  Step base{"base.txz downloaded and checked against MANIFEST (sha256)",
            sealed || (!journal.base_sha256.empty() && host.Exists(p.base)),
            "",
            {}};
  if (!base.done) {
    // fetch -r resumes an interrupted download; -a retries a failed one.
    base.actions.push_back(
        r.from_file.empty()
            ? Action::RunWithProgress({"fetch", "-a", "-r", "-o", p.base, p.url + "/base.txz"})
            : CopyLocal(r.from_file, p.base));
    base.actions.push_back(Action::Custom(
        fmt::format("sha256 -q {} must equal base.txz's sha256 in {}", p.base, p.manifest),
        [p](const Host& h) { VerifyBase(h, p); }));
  }
  plan.steps.push_back(base);

  Step extract = ExtractStep(host, p, journal, sealed);
  plan.steps.push_back(extract);
  plan.steps.push_back(HostFilesStep(host, p, sealed, extract.done));
  plan.steps.push_back(UpdateStep(r, p, journal, sealed));
}

// pkgbase (freebsd-base(7)): ljail's own FreeBSD-base repository file, the
// jail set installed with pkg, then `pkg upgrade` where the sets have
// freebsd-update. pkg checks every package against the repository's
// signed catalogue; the package cache in the tree is emptied so that the
// jails cloned from it do not carry it.
void AddPkgbaseSteps(const Host& host, const Settings& settings, const ReleaseRequest& r,
                     const Paths& p, const Journal& journal, bool sealed, Plan& plan) {
  PkgbaseRepo repo = MakePkgbaseRepo(settings, r);
  if (!sealed && !host.Exists(repo.fingerprints + "/trusted")) {
    ThrowUsage(fmt::format(
        "{}/trusted: no such directory: pkg checks FreeBSD's base packages against the keys "
        "there, which FreeBSD {} and later install (src: share/keys/pkgbase-{}). On an older "
        "host copy that directory from such a system and name it with --fingerprints DIR",
        repo.fingerprints, ReleaseMajor(r.release), ReleaseMajor(r.release)));
  }
  const std::string conf = p.pkg_conf_dir + "/" + kPkgbaseRepoName + ".conf";
  const std::string text = RenderPkgbaseRepoConf(repo);
  Step repo_step{"repository " + std::string(kPkgbaseRepoName) + " for pkg in " + conf,
                 sealed || (host.ReadFile(conf) == text && journal.source == "pkgbase"),
                 "",
                 {}};
  if (!repo_step.done) {
    std::string dir = p.pkg_conf_dir;
    repo_step.actions.push_back(
        Action::Custom("mkdir -p " + dir, [dir](const Host& h) { h.MakeDirectories(dir, 0755); }));
    repo_step.actions.push_back(Action::Write(conf, text, 0644));
    repo_step.actions.push_back(
        RecordInJournal(p, "the source (pkgbase)", [](Journal& j) { j.source = "pkgbase"; }));
  }
  plan.steps.push_back(repo_step);

  auto pkg = [&](std::vector<std::string> args) {
    return Command(PkgOnTree(repo, p.pkg_conf_dir, p.tree, std::move(args)));
  };
  Step install{fmt::format("{} installed with pkg from {}", kPkgbaseJailSet, repo.url),
               sealed || journal.installed,
               "",
               {}};
  if (!install.done) {
    install.actions.push_back(
        Action::RunWithProgress(pkg({"install", "-y", "-r", kPkgbaseRepoName, kPkgbaseJailSet})));
    install.actions.push_back(Action::Run(pkg({"clean", "-a", "-y"})));
    install.actions.push_back(
        RecordInJournal(p, "the installation", [](Journal& j) { j.installed = true; }));
  }
  plan.steps.push_back(install);
  plan.steps.push_back(HostFilesStep(host, p, sealed, install.done));

  plan.steps.push_back(
      PatchStep("pkg upgrade", r, p, journal, sealed,
                {Action::RunWithProgress(pkg({"upgrade", "-y", "-r", kPkgbaseRepoName})),
                 Action::Run(pkg({"clean", "-a", "-y"}))}));
}

}  // namespace

Plan MakeReleaseFetchPlan(const Host& host, const Settings& settings, const ReleaseRequest& r) {
  std::unique_ptr<Storage> storage = MakeStorage(host, settings);
  if (!storage->Exists("templates")) {
    ThrowFailure(fmt::format(
        "{} does not exist: run `ljail host init` first",
        settings.uses_zfs() ? settings.Dataset("templates") : settings.Dir("templates")));
  }
  Paths p = MakePaths(host, settings, *storage, r);
  Journal journal = Journal::Read(host, p.journal);
  const std::string source = ChooseSource(r, journal, p);
  const bool sealed = storage->HasSnapshot(p.name, "base");
  const std::string sealed_detail = "template sealed at @base";

  Plan plan;
  plan.title = fmt::format("FreeBSD {} ({}) template at {}, from {}", r.release, r.arch, p.tree,
                           source == "pkgbase" ? "pkgbase packages" : "distribution sets");

  Step area{fmt::format("{} {}", storage->Kind() == "zfs" ? "dataset" : "directory",
                        storage->Kind() == "zfs" ? storage->Dataset(p.name) : p.tree),
            sealed || storage->Exists(p.name),
            "",
            {}};
  if (!area.done) area.actions.push_back(storage->Create(p.name));
  plan.steps.push_back(area);
  if (source == "pkgbase") {
    AddPkgbaseSteps(host, settings, r, p, journal, sealed, plan);
  } else {
    AddSetsSteps(host, r, p, journal, sealed, plan);
  }
  Step snapshot{"snapshot @base", sealed, sealed ? sealed_detail : "", {}};
  if (!sealed) snapshot.actions.push_back(storage->Snapshot(p.name, "base"));
  plan.steps.push_back(snapshot);
  for (Step& s : plan.steps) {
    if (sealed && s.detail.empty()) s.detail = sealed_detail;
  }
  return plan;
}

std::vector<ReleaseTemplate> ListReleaseTemplates(const Host& host, const Settings& settings) {
  std::unique_ptr<Storage> storage = MakeStorage(host, settings);
  std::vector<ReleaseTemplate> out;
  if (!storage->Exists("templates")) return out;
  static const std::regex kName("templates/([0-9]+\\.[0-9]+-[A-Z]+[0-9]*)(-(amd64|arm64))?");
  for (const std::string& name : storage->List("templates")) {
    std::smatch m;
    if (!std::regex_match(name, m, kName)) continue;  // a Linux template, not a release
    ReleaseTemplate t;
    t.name = name;
    t.release = m[1];
    t.arch = m[3].matched ? std::string(m[3]) : settings.arch;
    t.path = storage->Path(name);
    t.dataset = storage->Dataset(name);
    t.complete = storage->HasSnapshot(name, "base");
    std::smatch v;
    std::optional<TreeFs> tree = host.TreeIfExists(t.path);
    std::string version = tree ? tree->ReadFile("/bin/freebsd-version", 1 << 20).value_or("") : "";
    if (std::regex_search(version, v, std::regex("USERLAND_VERSION=\"([^\"]+)\"")))
      t.userland = v[1];
    Journal journal =
        Journal::Read(host, StateDir(host) + "/releases/" + name.substr(10) + ".json");
    t.base_sha256 = journal.base_sha256;
    t.source = journal.source;
    out.push_back(t);
  }
  return out;
}

}  // namespace ljail::host::freebsd
