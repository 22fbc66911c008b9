// jail(8)'s evaluation of a loaded config (config.c load_config/add_param):
// wildcard sections merged in file order around each jail's own block, '='
// replacing and '+=' appending, the implied "name"/"jid", then variables
// substituted per jail (docs/freebsd.md §1.3).
#pragma once

#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "jailconf/diagnostic.h"
#include "jailconf/jail.h"
#include "jailconf/loader.h"

namespace ljail::jailconf {

/// Every non-wildcard jail of the config, in file order. Problems that make
/// jail(8) refuse a jail are errors (and mark the jail failed).
std::vector<EvaluatedJail> EvaluateConfig(const LoadedConfig& config, Diagnostics* diagnostics);

/// The same, one jail at a time, so that a caller that does not keep the
/// jails (a check of 10,000 of them) holds only one in memory. With `only`
/// set, jails of other names are skipped.
void ForEachEvaluatedJail(const LoadedConfig& config, Diagnostics* diagnostics,
                          const std::function<void(EvaluatedJail&&)>& visit,
                          std::optional<std::string_view> only = std::nullopt);

}  // namespace ljail::jailconf
