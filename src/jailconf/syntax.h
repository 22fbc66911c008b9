// The syntax tree of one jail.conf file, as jailparse.y builds it, plus the
// byte ranges the editor needs to change one statement and keep the rest.
#pragma once

#include <cstddef>
#include <string>
#include <variant>
#include <vector>

#include "jailconf/diagnostic.h"

namespace ljail::jailconf {

/// A variable reference inside a value: substituted at byte `pos` of the
/// value's literal text (jailparse.y's cfvar).
struct VarRef {
  std::string name;
  size_t pos = 0;
};

/// One value of a statement: literal text with variables to substitute
/// (jailparse.y's cfstring), glued together from adjacent pieces.
struct ConfString {
  std::string text;
  std::vector<VarRef> vars;
  Location location;
};

enum class AssignOp {
  kNone,        ///< `name;`
  kSet,         ///< `name = v, ...;`
  kAppend,      ///< `name += v, ...;`
  kJuxtaposed,  ///< `name v, ...;` (the optional '=' left out)
};

/// A parameter or `$variable` statement; `.include` is one too (by name).
struct Statement {
  std::string name;  ///< without the '$' for variables
  bool is_variable = false;
  AssignOp op = AssignOp::kNone;
  std::vector<ConfString> values;
  Location location;  ///< where the statement's name is
  size_t begin = 0;   ///< first byte of the name token
  size_t end = 0;     ///< one past the terminating ';'
};

/// `NAME { statements }`.
struct JailBlock {
  std::string name;
  std::vector<Statement> statements;
  /// Blocks inside this one, in order: the jails NAME.CHILD of FreeBSD
  /// 14.0 and later (jailparse.y, jail_name).
  std::vector<JailBlock> children;
  /// For a child: how many of its parent's statements come before it.
  size_t statements_before = 0;
  Location location;
  size_t begin = 0;        ///< first byte of the name
  size_t open_brace = 0;   ///< offset of '{'
  size_t close_brace = 0;  ///< offset of '}'
};

/// A top-level item in file order: a jail block or a statement outside any
/// block (which jail(8) puts in an implicit "*" section).
using SyntaxItem = std::variant<JailBlock, Statement>;

struct SyntaxFile {
  std::string name;  ///< as shown in messages
  std::string text;
  std::vector<SyntaxItem> items;
};

inline constexpr const char* kIncludeDirective = ".include";

inline bool IsInclude(const Statement& s) { return !s.is_variable && s.name == kIncludeDirective; }

}  // namespace ljail::jailconf
