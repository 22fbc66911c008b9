#include "runtime/freebsd/debian_keyring.h"

#include <fmt/format.h>

#include <optional>

#include "core/error.h"
#include "host/process.h"
#include "host/storage.h"
#include "runtime/freebsd/system.h"

namespace ljail::host::freebsd {
namespace {

// Where the keyring sits in the package's data.tar (Debian's path).
constexpr const char* kPackagedKeyring = "/usr/share/keyrings/debian-archive-keyring.gpg";

// The .deb is an ar(5) archive: debian-binary, control.tar.* and
// data.tar.* (deb(5)); libarchive reads both layers.
void UnpackKeyring(const Host& host, const std::string& deb, const std::string& work) {
  ExtractOptions as_root_owns;  // the package's files become root's, whoever recorded them
  as_root_owns.owners = false;
  host.RemoveTree(work);
  host.MakeDirectories(work + "/data", 0700);
  host.ExtractArchive(host.Real(deb), work, as_root_owns);
  std::optional<std::string> data;
  for (const std::string& name : host.ListDirectory(work)) {
    if (name.starts_with("data.tar")) data = work + "/" + name;
  }
  if (!data) ThrowFailure(deb + ": no data.tar member: not a Debian package");
  host.ExtractArchive(host.Real(*data), work + "/data", as_root_owns);
}

void InstallKeyring(const Host& host, const std::string& work, const std::string& keyring) {
  std::optional<std::string> content = host.ReadFile(work + "/data" + kPackagedKeyring);
  if (!content) ThrowFailure(fmt::format("the package holds no {}", kPackagedKeyring));
  host.MakeDirectories(keyring.substr(0, keyring.rfind('/')));
  host.WriteFile(keyring, *content, 0644);
}

}  // namespace

const KeyringPackage& TrustedKeyringPackage() {
  static const KeyringPackage package{
      "2023.3+deb12u2", "f699e2f88dca05212f2a452b58475f2993cb6993dfbafb1d0205a3291eb8b4b8"};
  return package;
}

std::string KeyringPackageUrl(const std::string& mirror, const KeyringPackage& package) {
  return fmt::format("{}/pool/main/d/debian-archive-keyring/debian-archive-keyring_{}_all.deb",
                     mirror, package.version);
}

Step DebianKeyringStep(const Host& host, const Settings& settings, const std::string& keyring) {
  Step step{"Debian archive keyring " + keyring, host.Exists(keyring), "", {}};
  if (step.done) return step;
  const KeyringPackage& package = TrustedKeyringPackage();
  step.detail = fmt::format(
      "missing; from Debian's debian-archive-keyring {}, checked against the SHA-256 ljail "
      "ships",
      package.version);
  std::string state = StateDir(host);
  std::string deb = state + "/debian-archive-keyring.deb";
  std::string work = state + "/debian-archive-keyring";
  step.actions.push_back(Action::Custom(
      "mkdir -p " + state, [state](const Host& h) { h.MakeDirectories(state, 0700); }));
  Command fetch{"fetch", "-q", "-o", deb, KeyringPackageUrl(settings.debian_mirror, package)};
  step.actions.push_back(Action::Custom(ShellQuote(fetch.argv), [fetch, keyring](const Host& h) {
    ProcessResult r = h.Run(fetch);
    if (r.ok()) return;
    ThrowFailure(fmt::format(
        "{}; the mirror may be unreachable, or no longer have this version (Debian replaces "
        "it in a point release: a newer ljail trusts the new one). Else copy "
        "/usr/share/keyrings/debian-archive-keyring.gpg from a Debian system to {}",
        DescribeFailure(fetch, r), keyring));
  }));
  std::string sha256 = package.sha256;
  step.actions.push_back(Action::Custom(
      fmt::format("sha256 -q {} must say {}", deb, sha256), [deb, sha256](const Host& h) {
        RequireSha256(h, deb, sha256, "debian-archive-keyring", "ljail trusts",
                      " and nothing was installed");
      }));
  step.actions.push_back(
      Action::Custom(fmt::format("unpack {} (ar, then its data.tar) into {}", deb, work),
                     [deb, work](const Host& h) { UnpackKeyring(h, deb, work); }));
  step.actions.push_back(
      Action::Custom(fmt::format("install -m 0644 {}/data{} {}", work, kPackagedKeyring, keyring),
                     [work, keyring](const Host& h) { InstallKeyring(h, work, keyring); }));
  step.actions.push_back(
      Action::Custom(fmt::format("rm -rf {} {}", work, deb), [deb, work](const Host& h) {
        h.RemoveTree(work);
        h.RemoveFile(deb);
      }));
  return step;
}

}  // namespace ljail::host::freebsd
