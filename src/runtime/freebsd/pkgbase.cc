#include "runtime/freebsd/pkgbase.h"

#include <fmt/format.h>

#include <string>

namespace ljail::host::freebsd {

int ReleaseMajor(const std::string& release) { return std::stoi(release); }

int ReleaseMinor(const std::string& release) {
  return std::stoi(release.substr(release.find('.') + 1));
}

PkgbaseRepo MakePkgbaseRepo(const Settings& settings, const rootfs::ReleaseRequest& r) {
  PkgbaseRepo repo;
  int major = ReleaseMajor(r.release);
  int minor = ReleaseMinor(r.release);
  // pkg's ABI names arm64 by its TARGET_ARCH (pkg(8), ABI; docs/freebsd.md §7).
  std::string arch = r.arch.empty() ? settings.arch : r.arch;
  repo.abi = fmt::format("FreeBSD:{}:{}", major, arch == "arm64" ? "aarch64" : arch);
  // __FreeBSD_version is MMmmRRR (sys/sys/param.h): the release's own
  // packages are never older than X.Y's first value.
  repo.osversion = std::to_string(major * 100000 + minor * 1000);
  std::string base = settings.freebsd_pkg_mirror;
  while (base.ends_with('/')) base.pop_back();
  // The URL of 15's /etc/pkg/FreeBSD.conf, ${ABI} and ${VERSION_MINOR}
  // written out: the template's release, not the host's, decides them.
  repo.url = fmt::format("{}/{}/base_release_{}", base, repo.abi, minor);
  repo.mirror_type = base.starts_with("pkg+") ? "srv" : "none";
  repo.fingerprints =
      r.fingerprints.empty() ? fmt::format("/usr/share/keys/pkgbase-{}", major) : r.fingerprints;
  return repo;
}

std::string RenderPkgbaseRepoConf(const PkgbaseRepo& repo) {
  return fmt::format(
      "# Written by ljail for `ljail release fetch`: the FreeBSD-base repository of\n"
      "# /etc/pkg/FreeBSD.conf (freebsd-base(7)) for {}, enabled. Rewritten on\n"
      "# every run; edit freebsd_pkg_mirror in /usr/local/etc/ljail.conf instead.\n"
      "{}: {{\n"
      "  url: \"{}\",\n"
      "  mirror_type: \"{}\",\n"
      "  signature_type: \"fingerprints\",\n"
      "  fingerprints: \"{}\",\n"
      "  enabled: yes\n"
      "}}\n",
      repo.abi, kPkgbaseRepoName, repo.url, repo.mirror_type, repo.fingerprints);
}

std::vector<std::string> PkgOnTree(const PkgbaseRepo& repo, const std::string& conf_dir,
                                   const std::string& tree, std::vector<std::string> args) {
  // An empty tree has no /bin/sh for pkg to read the ABI from, and no
  // kernel to compare package versions with: both are named, and the
  // osversion check is left to the repository, which is the release's own.
  std::vector<std::string> argv = {"pkg",
                                   "-R",
                                   conf_dir,
                                   "--rootdir",
                                   tree,
                                   "-o",
                                   "ABI=" + repo.abi,
                                   "-o",
                                   "OSVERSION=" + repo.osversion,
                                   "-o",
                                   "IGNORE_OSVERSION=yes"};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

}  // namespace ljail::host::freebsd
