// The settings of a jail's Linux tree that every jail needs and no jail
// manager sets (issue 6 §3-4): its time zone, locale and resolver. Checked
// before anything changes; written as regular files of the tree.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "host/host.h"
#include "jail/linux_account.h"

namespace ljail::jail {

/// What `create` does inside the tree once it exists, with the tree's own
/// programs (jail/linux_setup.h).
struct TreeSetup {
  std::optional<AccountRequest> user;
  std::string locale = "C.UTF-8";
  std::vector<std::string> packages;
  /// ping for users: iputils-ping installed and made setuid root (setcap
  /// cannot work under the Linuxulator: docs/freebsd.md §5).
  bool user_ping = false;
};

/// How the tree's /etc/resolv.conf is kept ($ljail_dns in the jail's file).
struct DnsMode {
  enum class Kind { kCopy, kStatic, kNone };
  Kind kind = Kind::kCopy;
  std::vector<std::string> servers;  ///< kStatic only

  /// "copy", "static:ADDR,ADDR" or "none", as written and parsed.
  std::string Text() const;
};

/// copy | static:ADDR[,ADDR...] | none; addresses are IPv4 or IPv6
/// (at most 3: glibc reads no more, resolv.conf(5) MAXNS).
DnsMode ParseDnsMode(const std::string& text);

/// The resolver the host uses, as the jail should see it: /etc/resolv.conf,
/// except that systemd-resolved's local stub (127.0.0.53, which a jail with
/// its own network cannot reach) is replaced by the servers behind it.
std::string HostResolvConf(const host::Host& host);

/// sh(1) words run inside the tree with the new content on stdin: a regular
/// file replaces whatever is there, a link included, never written through.
inline constexpr const char* kReplaceResolvConf =
    "rm -f /etc/resolv.conf && cat > /etc/resolv.conf";

/// The tree's /etc/resolv.conf for `mode`; nullopt for kNone (left as is).
std::optional<std::string> ResolvConfFor(const DnsMode& mode, const std::string& host_resolv);

/// The host's zone name: the /etc/localtime link (Linux), /var/db/zoneinfo
/// (FreeBSD's tzsetup) or /etc/timezone; "Etc/UTC" when none says.
std::string HostTimezone(const host::Host& host);

/// True for the zones glibc falls back to without any zone file.
bool IsUtcZone(const std::string& zone);

/// A zone name of the tz database, found as a file below `zoneinfo` (a
/// host path). Throws a usage error naming the closest valid zones.
void ValidateTimezone(const host::Host& host, const std::string& zone, const std::string& zoneinfo);

/// "C.UTF-8" or ll_CC.UTF-8 (with an optional @modifier): locales whose
/// codeset Linux programs expect. Throws a usage error otherwise.
void ValidateLocale(const std::string& locale);

/// The line of /etc/locale.gen (and of /usr/share/i18n/SUPPORTED) that
/// generates `locale`: "en_US.UTF-8 UTF-8".
std::string LocaleGenLine(const std::string& locale);

/// The LANG of a login in the tree: `wanted` (the caller's LANG) when the
/// tree can use it and it names a language (not C, POSIX or C.UTF-8), else
/// the tree's own default (LANG in /etc/default/locale, what create
/// --locale sets), else C.UTF-8. glibc can
/// use a locale compiled into a directory of /usr/lib/locale (C.utf8), or
/// one that locale-gen put into /usr/lib/locale/locale-archive from its
/// line in /etc/locale.gen. The tree's files are data: one that is not a
/// small regular file, or a name with other characters than a locale's,
/// counts as nothing there.
std::string LoginLocale(const TreeFs& tree, const std::string& wanted);

}  // namespace ljail::jail
