#include "runtime/linux/jail_conf_lines.h"

#include <fmt/format.h>

#include <string>

#include "runtime/linux/user_namespace.h"

namespace ljail::host::linux_ns {
namespace {

using jail::JailConfInput;
using jail::VnetVariables;
using jailconf::BlockBuilder;
using jailconf::Literals;

void Network(const JailConfInput& in, BlockBuilder& b) {
  if (!in.spec.vnet) {
    b.Comment("No vnet: the jail shares the host's network, as ip4/ip6 = inherit would.");
    return;
  }
  b.Blank();
  if (in.spec.ip4.empty()) {
    b.Comment("A network stack of its own (vnet) with only its loopback.");
  } else {
    b.Comment(
        fmt::format("A network stack of its own (vnet): at start ljail links it to the bridge {}\n"
                    "with a veth pair (eth0 inside, {}{}); the pair goes with the jail.",
                    in.spec.bridge, in.spec.ip4.front(),
                    in.spec.gateway.empty() ? "" : ", default route via " + in.spec.gateway));
  }
  b.Set("vnet");
  VnetVariables(in.spec, b);
}

void UserNamespace(uint32_t base, BlockBuilder& b) {
  if (base == 0) return;
  b.Blank();
  b.Comment(
      fmt::format("A user namespace of its own: ids 0-{} inside are host ids {}-{},\n"
                  "so its root is no user of the host. The tree keeps its ids on disk; the\n"
                  "jail sees it, and its shares, through idmapped mounts.",
                  kUsernsSize - 1, base, base + (kUsernsSize - 1)));
  b.Variable(kUsernsVariable, Literals({std::to_string(base)}));
}

class LinuxConfEdits : public jail::OsConfEdits {
 public:
  bool JailsHaveAddresses() const override { return false; }
  void KeepLimits(jailconf::ConfigDocument& /*doc*/, const std::string& /*jail*/) const override {}
  void KeepServices(jailconf::ConfigDocument& /*doc*/, const std::string& /*jail*/,
                    const std::string& /*linux_dir*/) const override {}
};

class LinuxConfLines : public jail::OsConfLines {
 public:
  explicit LinuxConfLines(uint32_t userns_base) : userns_base_(userns_base) {}
  std::string What() const override { return "a jail of"; }
  std::string TreeShown(const jail::JailLayout& layout) const override {
    return layout.LinuxTree();
  }
  void Block(const JailConfInput& in, BlockBuilder& b) const override {
    b.Blank();
    b.Comment("Alive with no process: ljail's keeper holds the namespaces until `ljail stop`.");
    b.Set("persist");
    Network(in, b);
    UserNamespace(userns_base_, b);
  }

 private:
  uint32_t userns_base_;
};

}  // namespace

std::shared_ptr<const jail::OsConfLines> JailConfLines(uint32_t userns_base) {
  return std::make_shared<LinuxConfLines>(userns_base);
}

const jail::OsConfEdits& JailConfEdits() {
  static const LinuxConfEdits kEdits;
  return kEdits;
}

}  // namespace ljail::host::linux_ns
