#include "rootfs/bootstrap.h"

#include "core/error.h"
#include "core/strings.h"

namespace ljail::rootfs {

host::Command DebootstrapCommand(const BootstrapOptions& o) {
  host::Command c{"debootstrap", "--arch=" + o.key.arch};
  if (o.key.variant != "default") c.argv.push_back("--variant=" + o.key.variant);
  if (!o.key.packages.empty()) c.argv.push_back("--include=" + Join(o.key.packages, ","));
  if (FindSuite(o.key.distro, o.key.suite).merged_usr) c.argv.push_back("--merged-usr");
  if (o.check_gpg) {
    c.argv.push_back("--keyring=" + o.keyring);
  } else {
    c.argv.push_back("--no-check-gpg");
  }
  c.argv.push_back(o.key.suite);
  c.argv.push_back(o.target);
  c.argv.push_back(o.key.mirror);
  return c;
}

host::Command MmdebstrapCommand(const BootstrapOptions& o) {
  host::Command c{"mmdebstrap", "--mode=root", "--architectures=" + o.key.arch};
  c.argv.push_back("--variant=" +
                   (o.key.variant == "default" ? std::string("important") : o.key.variant));
  if (!o.key.packages.empty()) c.argv.push_back("--include=" + Join(o.key.packages, ","));
  if (o.check_gpg) {
    c.argv.push_back("--keyring=" + o.keyring);
  } else {
    c.argv.push_back("--aptopt=Acquire::AllowInsecureRepositories \"true\"");
    c.argv.push_back("--aptopt=APT::Get::AllowUnauthenticated \"true\"");
  }
  c.argv.push_back(o.key.suite);
  c.argv.push_back(o.target);
  c.argv.push_back(o.key.mirror);
  return c;
}

std::string DefaultKeyring(const std::string& keyring_dir, const std::string& distro) {
  return keyring_dir +
         (distro == "ubuntu" ? "/ubuntu-archive-keyring.gpg" : "/debian-archive-keyring.gpg");
}

std::string ToolVersion(const host::Host& host, const std::string& tool) {
  try {
    host::ProcessResult r = host.Run({tool, "--version"});
    if (!r.ok()) return "";
    std::vector<std::string> lines = SplitLines(r.out);
    return lines.empty() ? "" : Trim(lines.front());
  } catch (const Error&) {
    return "";
  }
}

}  // namespace ljail::rootfs
