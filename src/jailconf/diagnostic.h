// Messages about a jail.conf file, in jail(8)'s own shape.
//
// jail(8) prints lexer and parser errors as "FILE line N: ..." and evaluation
// errors as "NAME: ..." (jail_warnx). ljail gives every message a location,
// so an evaluation error reads "FILE line N: NAME: PARAM: <jail(8)'s text>".
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ljail::jailconf {

/// The one stored copy of a file name: a Location is copied for every value
/// of every jail, so it holds a view of an interned name, not a string.
std::string_view InternFileName(std::string_view name);

/// A place in a config file, as the host sees its path. line 0 = whole file.
struct Location {
  Location() = default;
  Location(std::string_view file_name, int line_number)
      : file(InternFileName(file_name)), line(line_number) {}

  std::string_view file;  ///< interned: valid for the life of the process
  int line = 0;
};

enum class Severity { kError, kWarning };

struct Diagnostic {
  Severity severity = Severity::kError;
  Location location;
  std::string jail;     ///< the jail the message is about, or empty
  std::string message;  ///< jail(8)'s wording where jail(8) has one
};

/// "FILE line N: [JAIL: ]MESSAGE", "FILE: MESSAGE" when there is no line;
/// warnings carry a "warning: " prefix before the message.
std::string FormatDiagnostic(const Diagnostic& diagnostic);

/// Collected messages; parsing and evaluation go on after an error so that a
/// user sees every problem of a file at once.
class Diagnostics {
 public:
  void Error(Location location, std::string message, std::string jail = "");
  void Warning(Location location, std::string message, std::string jail = "");

  bool HasErrors() const { return errors_ > 0; }
  int error_count() const { return errors_; }
  const std::vector<Diagnostic>& all() const { return items_; }
  /// Every message, formatted, one per line.
  std::string ToString() const;

 private:
  std::vector<Diagnostic> items_;
  int errors_ = 0;
};

}  // namespace ljail::jailconf
