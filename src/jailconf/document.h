// Editing one jail.conf file in place: every byte that an edit does not
// concern — comments, blank lines, spacing, other statements — is kept.
//
// Each edit splices the original text and parses it again, so offsets are
// always fresh and a bug can never produce a file jail(8) would reject
// without this class noticing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "jailconf/syntax.h"
#include "jailconf/writer.h"

namespace ljail::jailconf {

class ConfigDocument {
 public:
  /// Parses `text`; `name` is the file's name in messages. Throws
  /// ljail::Error when the text has syntax errors: a file jail(8) rejects is
  /// not edited blindly.
  ConfigDocument(std::string name, std::string text);

  const std::string& text() const { return file_.text; }
  const SyntaxFile& syntax() const { return file_; }

  /// Names of the jail blocks, in file order.
  std::vector<std::string> JailNames() const;
  bool HasJail(std::string_view jail) const;

  /// Appends a jail block at the end of the file (after a blank line).
  void AddJail(std::string_view jail, const BlockBuilder& body);

  /// Makes `name` hold exactly `values` in the jail's block: the first
  /// statement for it (its "no" form included) is rewritten, later ones are
  /// removed, or a statement is added at the end of the block.
  void SetParam(std::string_view jail, std::string_view name, const ConfValues& values);
  /// Adds "name += values;" after the block's last statement for it.
  void AppendParam(std::string_view jail, std::string_view name, const ConfValues& values);
  /// Removes every statement for `name` from the block; false if none.
  bool RemoveParam(std::string_view jail, std::string_view name);

  void SetVariable(std::string_view jail, std::string_view name, const ConfValues& values);
  bool RemoveVariable(std::string_view jail, std::string_view name);

  /// Adds `.include "pattern";` at the end unless the file has it already;
  /// false when it was there.
  bool AddInclude(std::string_view pattern);

 private:
  const JailBlock& Block(std::string_view jail) const;
  std::vector<const Statement*> Matching(const JailBlock& block, std::string_view name,
                                         bool is_variable) const;
  void Set(std::string_view jail, std::string_view name, bool is_variable,
           const ConfValues& values);
  bool Remove(std::string_view jail, std::string_view name, bool is_variable);
  /// Inserts a statement as a new line after `after` (or at the block's end).
  void InsertStatement(const JailBlock& block, const Statement* after,
                       const std::string& statement);
  std::string IndentOf(const JailBlock& block) const;
  /// The byte range to delete so that `s` disappears with its line if the
  /// line holds nothing else (a trailing comment goes with it).
  std::pair<size_t, size_t> DeletionRange(const Statement& s) const;
  void Splice(std::vector<std::pair<std::pair<size_t, size_t>, std::string>> edits);

  SyntaxFile file_;
};

}  // namespace ljail::jailconf
