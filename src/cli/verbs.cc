#include "cli/verbs.h"

#include <array>

namespace ljail::cli {

namespace {

constexpr std::array kVerbs = {
    VerbGroup{"conf", "read, check and show jail.conf(5) files as jail(8) does", AddConfVerbs},
    VerbGroup{"host", "check and prepare the host for Linux jails", AddHostVerbs},
    VerbGroup{"release", "FreeBSD release templates: fetch and list", AddReleaseVerbs},
};

}  // namespace

std::span<const VerbGroup> Verbs() { return kVerbs; }

}  // namespace ljail::cli
