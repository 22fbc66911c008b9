// A Linux-host jail's optional user namespace (`create --userns`,
// $ljail_userns): ids 0-65535 inside are a range of host ids of the jail's
// own, so its root is no user of the host at all. The tree on disk keeps
// the ids it has without one; the jail sees its tree and shares through
// idmapped mounts (docs/linux-runtime.md, "User namespace").
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "host/host.h"

namespace ljail::host::linux_ns {

inline constexpr const char* kUsernsVariable = "ljail_userns";
/// Ids per jail: 0-65535 inside, as a Debian system expects (nobody is 65534).
inline constexpr uint32_t kUsernsSize = 65536;
/// Where ljail picks ranges: above systemd-nspawn's automatic ones
/// (524288-1879048191, systemd's docs/UIDS-GIDS.md), below 2^31 - 2^17.
inline constexpr uint32_t kUsernsFirstBase = 0x70000000;
inline constexpr uint32_t kUsernsLastBase = 0x7FFD0000;

/// $ljail_userns's text: the host id of root inside. It must leave the
/// host's own ids (below 65536) alone and fit below 2^32 - 1; usage error
/// naming `where` otherwise.
uint32_t ParseUsernsBase(const std::string& text, const std::string& where);

/// The base for jail `name`: the one it has if its jail.conf names one (a
/// create run again), else the first range of kUsernsSize ids from
/// kUsernsFirstBase that no other jail and no /etc/subuid or /etc/subgid
/// entry uses.
uint32_t ChooseUsernsBase(const Host& host, const std::string& name);

/// A new user namespace with that mapping and, for a vnet jail, a network
/// namespace it owns (so that root inside may configure its interfaces).
/// A helper process unshares them and exits; the descriptors keep them.
class JailUserNamespace {
 public:
  static JailUserNamespace Make(uint32_t base, bool with_network);
  JailUserNamespace(JailUserNamespace&& other) noexcept;
  JailUserNamespace& operator=(JailUserNamespace&&) = delete;
  JailUserNamespace(const JailUserNamespace&) = delete;
  JailUserNamespace& operator=(const JailUserNamespace&) = delete;
  ~JailUserNamespace();

  int user_fd() const { return user_; }
  int net_fd() const { return net_; }  ///< -1 without a network namespace

 private:
  JailUserNamespace(int user, int net) : user_(user), net_(net) {}
  int user_ = -1;
  int net_ = -1;
};

}  // namespace ljail::host::linux_ns
