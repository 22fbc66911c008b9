// The jail.conf(5) grammar (jailparse.y), as a recursive-descent parser.
//
//   conf    : { jail | param ';' | ';' }
//   jail    : STR '{' { param ';' | ';' } '}'
//   param   : name [ '=' value | '+=' value | value ]
//   name    : STR | VAR
//   value   : string { ',' string }
//   string  : (STR | VAR) { STR1 | VAR1 }
//
// Syntax errors are reported as jail(8) does ("FILE line N: TOKEN: syntax
// error", "FILE: unexpected EOF"); the parser then skips to the next ';' and
// goes on, so one run reports every broken statement.
#pragma once

#include <string>

#include "jailconf/diagnostic.h"
#include "jailconf/syntax.h"

namespace ljail::jailconf {

/// Parses `text`; `name` is how messages refer to the file. `.include`
/// statements are kept as statements: the loader expands them.
SyntaxFile ParseConfig(std::string name, std::string text, Diagnostics* diagnostics);

}  // namespace ljail::jailconf
