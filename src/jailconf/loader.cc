#include "jailconf/loader.h"

#include <fmt/format.h>
#include <glob.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <optional>
#include <utility>

#include "core/error.h"
#include "core/file_io.h"
#include "jailconf/names.h"
#include "jailconf/parser.h"

namespace ljail::jailconf {
namespace {

std::string EscapeGlob(const std::string& literal) {
  std::string out;
  for (char c : literal) {
    if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

class Loader {
 public:
  Loader(const RootFs& root, Diagnostics* diagnostics, LoadedConfig* out, Grammar grammar)
      : root_(root), diagnostics_(diagnostics), out_(out), grammar_(grammar) {}

  void LoadFile(const std::string& path, const Location& included_from) {
    // Only regular files: an include of a FIFO or /dev/zero must not hang.
    struct stat st {};
    if (::stat(root_.Host(path).c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
      diagnostics_->Error(included_from.file.empty() ? Location{path, 0} : included_from,
                          fmt::format("{}: not a regular file", path));
      return;
    }
    std::optional<std::string> text;
    try {
      text = ReadFileIfExists(root_.Host(path));
    } catch (const Error& e) {
      diagnostics_->Error(included_from.file.empty() ? Location{path, 0} : included_from,
                          fmt::format("{}: {}", path, ErrnoText(e.sys_errno())));
      return;
    }
    if (!text) {
      // err(1, "%s", cfname) in parse_config().
      Location where = included_from.file.empty() ? Location{path, 0} : included_from;
      std::string message = included_from.file.empty()
                                ? ErrnoText(ENOENT)
                                : fmt::format("{}: {}", path, ErrnoText(ENOENT));
      diagnostics_->Error(where, message);
      return;
    }
    LoadText(path, std::move(*text));
  }

  void LoadText(const std::string& name, std::string text) {
    out_->files.push_back(
        std::make_unique<SyntaxFile>(ParseConfig(name, std::move(text), diagnostics_)));
    const SyntaxFile& file = *out_->files.back();
    for (const SyntaxItem& item : file.items) {
      if (const JailBlock* block = std::get_if<JailBlock>(&item)) {
        AddBlock(file, *block);
      } else {
        AddTopLevel(file, std::get<Statement>(item));
      }
    }
  }

 private:
  void AddBlock(const SyntaxFile& file, const JailBlock& block) {
    if (grammar_ == Grammar::kFreeBSD13) {
      // 13.x lists the block only at its '}'.
      Section section{block.name, IsWildcardName(block.name), {}, block.location};
      for (const Statement& statement : block.statements) {
        if (!RefusedInclude(statement)) section.statements.push_back(&statement);
      }
      for (const JailBlock& child : block.children) {
        diagnostics_->Error(child.location,
                            fmt::format("{}: a block inside a block: FreeBSD 13 reads it as a "
                                        "syntax error (14.0 and later: the jail {}.{})",
                                        child.name, block.name, child.name));
      }
      out_->sections.push_back(std::move(section));
      return;
    }
    // 14.0: listed at its name (jailparse.y, jail_name); a block inside
    // another, or brought by an .include inside it, is that block's child.
    std::string name =
        enclosing_ ? out_->sections[*enclosing_].name + "." + block.name : block.name;
    size_t index = out_->sections.size();
    out_->sections.push_back({name, IsWildcardName(name), {}, block.location});
    std::optional<size_t> outer = std::exchange(enclosing_, index);
    size_t next_child = 0;
    for (size_t i = 0; i <= block.statements.size(); ++i) {
      while (next_child < block.children.size() &&
             block.children[next_child].statements_before == i) {
        AddBlock(file, block.children[next_child++]);
      }
      if (i < block.statements.size()) AddStatement(file, block.statements[i]);
    }
    enclosing_ = outer;
  }

  void AddTopLevel(const SyntaxFile& file, const Statement& statement) {
    if (grammar_ == Grammar::kFreeBSD13) {
      if (RefusedInclude(statement)) return;
      // A top-level statement joins the last section if that is a "*" one,
      // else starts a new "*" section.
      if (out_->sections.empty() || out_->sections.back().name != "*") {
        out_->sections.push_back({"*", true, {}, statement.location});
      }
      out_->sections.back().statements.push_back(&statement);
      return;
    }
    AddStatement(file, statement);
  }

  // 14.0: a statement of the current block (an .include inside a block
  // brings its file there), else of the one global "*" section.
  void AddStatement(const SyntaxFile& file, const Statement& statement) {
    // `.include "F";` is special only in the name-value form (jailparse.y,
    // special_param): `.include = "F";` is an ordinary, unknown, parameter.
    if (IsInclude(statement) && statement.op == AssignOp::kJuxtaposed) {
      Include(file, statement);
      return;
    }
    if (!enclosing_ && !global_) {
      global_ = out_->sections.size();
      out_->sections.push_back({"*", true, {}, statement.location});
    }
    out_->sections[enclosing_ ? *enclosing_ : *global_].statements.push_back(&statement);
  }

  // 13.x has no .include: its jail(8) reads one as an unknown parameter
  // and refuses every jail.
  bool RefusedInclude(const Statement& statement) {
    if (!IsInclude(statement)) return false;
    diagnostics_->Error(
        statement.location,
        ".include: FreeBSD 13 has no .include (14.0 and later read it); its jail(8) "
        "takes it for an unknown parameter");
    return true;
  }

  void Include(const SyntaxFile& file, const Statement& statement) {
    for (const ConfString& value : statement.values) {
      if (!value.vars.empty()) {
        diagnostics_->Error(value.location, "variables are not permitted in an .include file name");
        continue;
      }
      if (depth_ >= kMaxIncludeDepth) {
        diagnostics_->Error(value.location, "maximum include depth exceeded");
        return;
      }
      ++depth_;
      IncludePattern(ResolveRelative(file.name, value.text), value.location);
      --depth_;
    }
  }

  // Relative names are based on the directory of the including file.
  static std::string ResolveRelative(const std::string& including, const std::string& name) {
    if (name.starts_with("/")) return name;
    size_t slash = including.rfind('/');
    if (slash == std::string::npos) return name;
    return including.substr(0, slash + 1) + name;
  }

  void IncludePattern(const std::string& pattern, const Location& location) {
    if (!HasGlobMagic(pattern)) {
      LoadFile(pattern, location);  // a plain name must exist
      return;
    }
    std::string host_pattern =
        pattern.starts_with("/") ? EscapeGlob(root_.prefix()) + pattern : pattern;
    glob_t matches{};
    int rc = ::glob(host_pattern.c_str(), 0, nullptr, &matches);
    if (rc != 0 && rc != GLOB_NOMATCH) {
      diagnostics_->Error(location, pattern + ": filename glob failed");
      ::globfree(&matches);
      return;
    }
    std::vector<std::string> paths;
    paths.reserve(matches.gl_pathc);
    for (size_t i = 0; i < matches.gl_pathc; ++i)
      paths.push_back(root_.Logical(matches.gl_pathv[i]));
    ::globfree(&matches);
    for (const std::string& path : paths) LoadFile(path, location);
  }

  const RootFs& root_;
  Diagnostics* diagnostics_;
  LoadedConfig* out_;
  Grammar grammar_;
  int depth_ = 0;
  std::optional<size_t> global_;     // 14.0: the "*" section of top-level statements
  std::optional<size_t> enclosing_;  // 14.0: the block being read
};

}  // namespace

bool HasGlobMagic(const std::string& pattern) {
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\') {
      ++i;  // an escaped character is literal
    } else if (c == '*' || c == '?') {
      return true;
    } else if (c == '[') {
      size_t from = i + 1;
      if (from < pattern.size() && pattern[from] == '!') ++from;
      if (from < pattern.size() && pattern.find(']', from + 1) != std::string::npos) return true;
    }
  }
  return false;
}

Grammar GrammarOfRelease(const std::string& release) {
  int major = 0;
  auto [end, ec] = std::from_chars(release.data(), release.data() + release.size(), major);
  if (ec != std::errc() || major < 1 || (end != release.data() + release.size() && *end != '.'))
    ThrowUsage(fmt::format(
        "release \"{}\": expected a FreeBSD release such as 13.5 or 14.3-RELEASE", release));
  return major < 14 ? Grammar::kFreeBSD13 : Grammar::kFreeBSD14;
}

LoadedConfig LoadConfigFile(const std::string& path, const RootFs& root, Diagnostics* diagnostics,
                            Grammar grammar) {
  LoadedConfig config;
  Loader(root, diagnostics, &config, grammar).LoadFile(path, {});
  return config;
}

LoadedConfig LoadConfigText(const std::string& name, std::string text, const RootFs& root,
                            Diagnostics* diagnostics, Grammar grammar) {
  LoadedConfig config;
  Loader(root, diagnostics, &config, grammar).LoadText(name, std::move(text));
  return config;
}

}  // namespace ljail::jailconf
