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
#include "runtime/freebsd/system.h"

namespace ljail::host::freebsd {
namespace {

// What ljail has verified and done for a template, kept beside its other
// state (/var/db/ljail/releases/NAME.json): the tree itself carries no
// marker, since every jail cloned from it would inherit one.
struct Journal {
  std::string base_sha256;       // base.txz verified against MANIFEST
  std::string extracted_sha256;  // that base.txz fully extracted
  bool updated = false;          // freebsd-update done

  static Journal Read(const Host& host, const std::string& path) {
    Journal j;
    std::optional<std::string> text = host.ReadFile(path);
    if (!text) return j;
    nlohmann::json doc = nlohmann::json::parse(*text, nullptr, false);
    if (doc.is_discarded()) return j;  // a torn journal means: redo the steps
    j.base_sha256 = doc.value("base_sha256", "");
    j.extracted_sha256 = doc.value("extracted_sha256", "");
    j.updated = doc.value("updated", false);
    return j;
  }

  void Write(const Host& host, const std::string& path) const {
    host.MakeDirectories(path.substr(0, path.rfind('/')), 0700);
    nlohmann::json doc = {
        {"base_sha256", base_sha256}, {"extracted_sha256", extracted_sha256}, {"updated", updated}};
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
  std::string url;  // the release's directory on the mirror
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

Step UpdateStep(const ReleaseRequest& r, const Paths& p, const Journal& journal, bool sealed) {
  Step update{"security patches (freebsd-update)", sealed || journal.updated || !r.update, "", {}};
  if (!r.update && !sealed) update.detail = "skipped: --no-update";
  if (!update.done) {
    // The host kernel's release decides what freebsd-update patches unless
    // told otherwise (§7): name the template's own release. Exit 2 = no
    // updates, which is success here. PAGER=cat: it pages its file lists.
    update.actions.push_back(
        Action::RunWithProgress(Command{"freebsd-update", "-b", p.tree, "--currently-running",
                                        r.release, "--not-running-from-cron", "fetch", "install"}
                                    .Env("PAGER", "cat"),
                                {2}));
    update.actions.push_back(
        Action::Custom("record the update in " + p.journal, [p](const Host& h) {
          Journal j = Journal::Read(h, p.journal);
          j.updated = true;
          j.Write(h, p.journal);
        }));
  }
  return update;
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
  std::string manifest_source = r.manifest_file;
  if (manifest_source.empty() && !r.from_file.empty()) {
    manifest_source = std::filesystem::path(r.from_file).parent_path() / "MANIFEST";
  }
  Journal journal = Journal::Read(host, p.journal);
  const bool sealed = storage->HasSnapshot(p.name, "base");
  const std::string sealed_detail = "template sealed at @base";

  Plan plan;
  plan.title = fmt::format("FreeBSD {} ({}) template at {}", r.release, r.arch, p.tree);

  Step area{fmt::format("{} {}", storage->Kind() == "zfs" ? "dataset" : "directory",
                        storage->Kind() == "zfs" ? storage->Dataset(p.name) : p.tree),
            sealed || storage->Exists(p.name),
            "",
            {}};
  if (!area.done) area.actions.push_back(storage->Create(p.name));
  plan.steps.push_back(area);

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
    t.base_sha256 =
        Journal::Read(host, StateDir(host) + "/releases/" + name.substr(10) + ".json").base_sha256;
    out.push_back(t);
  }
  return out;
}

}  // namespace ljail::host::freebsd
