// The value checks jail(8) makes before creating a jail (config.c
// check_intparams(), libjail's jailparam_import()), run ahead of time so that
// `ljail conf check` finds what `service jail start` would trip over.
#pragma once

#include "jailconf/diagnostic.h"
#include "jailconf/jail.h"

namespace ljail::jailconf {

/// Reports bad booleans, integers, jailsys values, addresses and mount lines
/// as errors (jail(8)'s wording), unknown parameter names as warnings (a
/// kernel module may add parameters, so they are not fatal).
void ValidateJail(const EvaluatedJail& jail, Diagnostics* diagnostics);

}  // namespace ljail::jailconf
