#include "jailconf/document.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"
#include "jailconf/names.h"
#include "jailconf/parser.h"

namespace ljail::jailconf {
namespace {

SyntaxFile ParseOrThrow(std::string name, std::string text) {
  Diagnostics diagnostics;
  SyntaxFile file = ParseConfig(std::move(name), std::move(text), &diagnostics);
  if (diagnostics.HasErrors()) {
    ThrowFailure(
        fmt::format("refusing to edit a file jail(8) would reject:\n{}", diagnostics.ToString()));
  }
  return file;
}

bool IsBlank(std::string_view text) {
  return text.find_first_not_of(" \t\r") == std::string_view::npos;
}

bool IsBlankOrComment(std::string_view text) {
  size_t first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return true;
  return text[first] == '#' || text.substr(first, 2) == "//";
}

// True when `s` already sets exactly `values` under exactly `name`, so that
// setting it again leaves the file's bytes alone.
bool AlreadyHolds(const Statement& s, std::string_view name, const ConfValues& values) {
  bool assigns = values.empty() ? s.op == AssignOp::kNone
                                : s.op == AssignOp::kSet || s.op == AssignOp::kJuxtaposed;
  if (!assigns || s.name != name || s.values.size() != values.size()) return false;
  for (size_t i = 0; i < values.size(); ++i) {
    const ConfString& have = s.values[i];
    if (values[i].expand) return false;  // compare literal values only
    if (!have.vars.empty() || have.text != values[i].text) return false;
  }
  return true;
}

}  // namespace

ConfigDocument::ConfigDocument(std::string name, std::string text)
    : file_(ParseOrThrow(std::move(name), std::move(text))) {}

std::vector<std::string> ConfigDocument::JailNames() const {
  std::vector<std::string> names;
  for (const SyntaxItem& item : file_.items) {
    if (const JailBlock* block = std::get_if<JailBlock>(&item)) names.push_back(block->name);
  }
  return names;
}

bool ConfigDocument::HasJail(std::string_view jail) const {
  std::vector<std::string> names = JailNames();
  return std::find(names.begin(), names.end(), jail) != names.end();
}

const JailBlock& ConfigDocument::Block(std::string_view jail) const {
  const JailBlock* found = nullptr;
  for (const SyntaxItem& item : file_.items) {
    const JailBlock* block = std::get_if<JailBlock>(&item);
    if (!block || block->name != jail) continue;
    if (found) {
      ThrowFailure(fmt::format("{}: jail \"{}\" has two blocks (lines {} and {}); edit by hand",
                               file_.name, jail, found->location.line, block->location.line));
    }
    found = block;
  }
  if (!found) ThrowFailure(fmt::format("{}: no jail \"{}\" in this file", file_.name, jail));
  return *found;
}

std::vector<const Statement*> ConfigDocument::Matching(const JailBlock& block,
                                                       std::string_view name,
                                                       bool is_variable) const {
  std::vector<const Statement*> out;
  for (const Statement& s : block.statements) {
    if (s.is_variable != is_variable) continue;
    if (is_variable ? s.name == name : SameParam(s.name, name)) out.push_back(&s);
  }
  return out;
}

std::string ConfigDocument::IndentOf(const JailBlock& block) const {
  const std::string& text = file_.text;
  for (const Statement& s : block.statements) {
    size_t line_start = text.rfind('\n', s.begin == 0 ? 0 : s.begin - 1);
    line_start = line_start == std::string::npos ? 0 : line_start + 1;
    std::string_view before(text.data() + line_start, s.begin - line_start);
    if (IsBlank(before)) return std::string(before);
  }
  return "\t";
}

std::pair<size_t, size_t> ConfigDocument::DeletionRange(const Statement& s) const {
  const std::string& text = file_.text;
  size_t line_start = s.begin == 0 ? std::string::npos : text.rfind('\n', s.begin - 1);
  line_start = line_start == std::string::npos ? 0 : line_start + 1;
  size_t line_end = text.find('\n', s.end);
  size_t after_line = line_end == std::string::npos ? text.size() : line_end + 1;
  line_end = line_end == std::string::npos ? text.size() : line_end;
  std::string_view before(text.data() + line_start, s.begin - line_start);
  std::string_view after(text.data() + s.end, line_end - s.end);
  if (IsBlank(before) && IsBlankOrComment(after)) return {line_start, after_line};
  // Shares its line with something else: take the statement and the blanks after it.
  size_t end = s.end;
  while (end < line_end && (text[end] == ' ' || text[end] == '\t')) ++end;
  return {s.begin, end};
}

void ConfigDocument::Splice(std::vector<std::pair<std::pair<size_t, size_t>, std::string>> edits) {
  // Apply from the end so earlier offsets stay valid.
  std::sort(edits.begin(), edits.end(),
            [](const auto& a, const auto& b) { return a.first.first > b.first.first; });
  std::string text = file_.text;
  for (const auto& [range, replacement] : edits) {
    text.replace(range.first, range.second - range.first, replacement);
  }
  file_ = ParseOrThrow(file_.name, std::move(text));
}

void ConfigDocument::InsertStatement(const JailBlock& block, const Statement* after,
                                     const std::string& statement) {
  const std::string& text = file_.text;
  std::string indent = IndentOf(block);
  // Never inside a child block ("x; b {" on one line): the statement would
  // be the child's.
  auto in_child = [&](size_t at) {
    return std::any_of(block.children.begin(), block.children.end(),
                       [&](const JailBlock& c) { return at > c.begin && at <= c.close_brace; });
  };
  if (after) {
    // On a new line right after the line holding `after`.
    size_t line_end = text.find('\n', after->end);
    if (line_end != std::string::npos && line_end < block.close_brace && !in_child(line_end + 1)) {
      Splice({{{line_end + 1, line_end + 1}, indent + statement + "\n"}});
      return;
    }
  }
  size_t line_start = text.rfind('\n', block.close_brace == 0 ? 0 : block.close_brace - 1);
  line_start = line_start == std::string::npos ? 0 : line_start + 1;
  if (line_start > block.open_brace &&
      IsBlank(std::string_view(text.data() + line_start, block.close_brace - line_start))) {
    Splice({{{line_start, line_start}, indent + statement + "\n"}});  // '}' on its own line
  } else {
    Splice({{{block.close_brace, block.close_brace}, statement + " "}});  // one-line block
  }
}

void ConfigDocument::AddJail(std::string_view jail, const BlockBuilder& body) {
  if (HasJail(jail)) ThrowFailure(fmt::format("{}: jail \"{}\" already exists", file_.name, jail));
  std::string addition;
  const std::string& text = file_.text;
  if (!text.empty() && text.back() != '\n') addition += '\n';
  if (!text.empty()) addition += '\n';
  addition += FormatJailBlock(jail, body);
  Splice({{{text.size(), text.size()}, addition}});
}

void ConfigDocument::Set(std::string_view jail, std::string_view name, bool is_variable,
                         const ConfValues& values) {
  const JailBlock& block = Block(jail);
  std::string statement =
      FormatStatement(name, is_variable, values.empty() ? AssignOp::kNone : AssignOp::kSet, values);
  std::vector<const Statement*> existing = Matching(block, name, is_variable);
  if (existing.empty()) {
    InsertStatement(block, nullptr, statement);
    return;
  }
  if (existing.size() == 1 && AlreadyHolds(*existing[0], name, values)) return;
  std::vector<std::pair<std::pair<size_t, size_t>, std::string>> edits;
  edits.push_back({{existing[0]->begin, existing[0]->end}, statement});
  for (size_t i = 1; i < existing.size(); ++i) edits.push_back({DeletionRange(*existing[i]), ""});
  Splice(std::move(edits));
}

bool ConfigDocument::Remove(std::string_view jail, std::string_view name, bool is_variable) {
  std::vector<const Statement*> existing = Matching(Block(jail), name, is_variable);
  if (existing.empty()) return false;
  std::vector<std::pair<std::pair<size_t, size_t>, std::string>> edits;
  edits.reserve(existing.size());
  for (const Statement* s : existing) edits.push_back({DeletionRange(*s), ""});
  Splice(std::move(edits));
  return true;
}

void ConfigDocument::SetParam(std::string_view jail, std::string_view name,
                              const ConfValues& values) {
  Set(jail, name, false, values);
}

void ConfigDocument::AppendParam(std::string_view jail, std::string_view name,
                                 const ConfValues& values) {
  const JailBlock& block = Block(jail);
  std::vector<const Statement*> existing = Matching(block, name, false);
  InsertStatement(block, existing.empty() ? nullptr : existing.back(),
                  FormatStatement(name, false, AssignOp::kAppend, values));
}

bool ConfigDocument::RemoveParam(std::string_view jail, std::string_view name) {
  return Remove(jail, name, false);
}

void ConfigDocument::SetVariable(std::string_view jail, std::string_view name,
                                 const ConfValues& values) {
  Set(jail, name, true, values);
}

bool ConfigDocument::RemoveVariable(std::string_view jail, std::string_view name) {
  return Remove(jail, name, true);
}

bool ConfigDocument::AddInclude(std::string_view pattern) {
  for (const SyntaxItem& item : file_.items) {
    const Statement* s = std::get_if<Statement>(&item);
    if (s && IsInclude(*s) && s->values.size() == 1 && s->values[0].text == pattern) return false;
  }
  const std::string& text = file_.text;
  std::string addition = (!text.empty() && text.back() != '\n') ? "\n" : "";
  // jail.conf(5) writes it `.include "FILE";`: quoted, without '='.
  addition += fmt::format("{} {};\n", kIncludeDirective, QuoteLiteral(pattern));
  Splice({{{text.size(), text.size()}, addition}});
  return true;
}

}  // namespace ljail::jailconf
