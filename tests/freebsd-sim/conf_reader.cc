#include "conf_reader.h"

#include <glob.h>

#include <algorithm>
#include <cctype>

namespace sim {
namespace {

// A value: literal text with variable references at positions.
struct Piece {
  bool is_var = false;
  std::string text;  // the literal, or the variable name
};
using Word = std::vector<Piece>;

struct Statement {
  std::string name;
  bool is_var = false;
  std::string op;  // "", "=", "+="
  std::vector<Word> values;
};

struct Section {
  std::string name;
  std::vector<Statement> statements;
};

class Reader {
 public:
  Reader(State& s, std::vector<Section>* sections) : s_(s), sections_(sections) {}

  void File(const std::string& host_path, int depth) {
    if (depth > 32) Fail(1, "jail: maximum include depth exceeded");
    std::string real = s_.Real(host_path);
    if (!Exists(real)) Fail(1, "jail: " + host_path + ": No such file or directory");
    text_ = ReadText(real);
    pos_ = 0;
    file_ = host_path;
    std::string saved_text = text_;
    while (true) {
      SkipSpace();
      if (pos_ >= text_.size()) break;
      if (text_[pos_] == ';') {
        ++pos_;
        continue;
      }
      Word head = ReadWord();
      SkipSpace();
      if (Peek('{')) {
        ++pos_;
        Section section{Flat(head), {}};
        while (true) {
          SkipSpace();
          if (Peek('}')) {
            ++pos_;
            break;
          }
          if (Peek(';')) {
            ++pos_;
            continue;
          }
          if (pos_ >= text_.size()) Error("unexpected EOF");
          section.statements.push_back(ReadStatement(ReadWord()));
        }
        sections_->push_back(section);
        continue;
      }
      Statement st = ReadStatement(head);
      if (st.name == ".include") {
        std::string pattern = st.values.empty() ? "" : Flat(st.values[0]);
        if (!pattern.empty() && pattern[0] != '/') {
          pattern = file_.substr(0, file_.rfind('/') + 1) + pattern;
        }
        size_t saved_pos = pos_;
        std::string saved_file = file_;
        Include(pattern, depth);
        text_ = saved_text;
        pos_ = saved_pos;
        file_ = saved_file;
        continue;
      }
      if (sections_->empty() || sections_->back().name != "*") sections_->push_back({"*", {}});
      sections_->back().statements.push_back(st);
    }
  }

 private:
  void Include(const std::string& pattern, int depth) {
    bool magic = pattern.find_first_of("*?[") != std::string::npos;
    if (!magic) {
      File(pattern, depth + 1);
      return;
    }
    glob_t g{};
    std::string root = s_.Real("/");
    root.pop_back();
    ::glob((root + pattern).c_str(), 0, nullptr, &g);
    std::vector<std::string> files;
    files.reserve(g.gl_pathc);
    for (size_t i = 0; i < g.gl_pathc; ++i) files.push_back(s_.HostPath(g.gl_pathv[i]));
    ::globfree(&g);
    for (const std::string& f : files) File(f, depth + 1);
  }

  [[noreturn]] void Error(const std::string& what) {
    int line =
        1 + static_cast<int>(std::count(
                text_.begin(),
                text_.begin() + static_cast<std::ptrdiff_t>(std::min(pos_, text_.size())), '\n'));
    Fail(1, "jail: " + file_ + " line " + std::to_string(line) + ": " + what);
  }

  bool Peek(char c) const { return pos_ < text_.size() && text_[pos_] == c; }

  void SkipSpace() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (isspace(static_cast<unsigned char>(c))) {
        ++pos_;
        continue;
      }
      if (c == '#' || text_.compare(pos_, 2, "//") == 0) {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
        continue;
      }
      if (text_.compare(pos_, 2, "/*") == 0) {
        size_t end = text_.find("*/", pos_ + 2);
        if (end == std::string::npos) Error("unterminated comment");
        pos_ = end + 2;
        continue;
      }
      break;
    }
  }

  static std::string Flat(const Word& w) {
    std::string out;
    for (const Piece& p : w) out += p.is_var ? "$" + p.text : p.text;
    return out;
  }

  static void Add(Word* w, char c) {
    if (w->empty() || w->back().is_var) w->push_back({false, ""});
    w->back().text += c;
  }

  char Escape() {
    char c = text_[pos_++];
    switch (c) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      default:
        return c;
    }
  }

  void Variable(Word* w) {
    ++pos_;  // '$'
    std::string name;
    if (Peek('{')) {
      size_t end = text_.find('}', pos_);
      if (end == std::string::npos) Error("unterminated variable");
      name = text_.substr(pos_ + 1, end - pos_ - 1);
      pos_ = end + 1;
    } else {
      while (pos_ < text_.size() &&
             (isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_'))
        name += text_[pos_++];
      if (name.empty()) {
        Add(w, '$');
        return;
      }
    }
    w->push_back({true, name});
  }

  Word ReadWord() {
    Word w;
    bool any = false;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (isspace(static_cast<unsigned char>(c)) || c == '{' || c == '}' || c == ';' || c == ',' ||
          c == '=' || c == '#' || text_.compare(pos_, 2, "+=") == 0 ||
          text_.compare(pos_, 2, "//") == 0) {
        break;
      }
      any = true;
      if (c == '"' || c == '\'') {
        ++pos_;
        while (true) {
          if (pos_ >= text_.size()) Error("unterminated string");
          char q = text_[pos_];
          if (q == c) {
            ++pos_;
            break;
          }
          if (q == '\\' && pos_ + 1 < text_.size()) {
            ++pos_;
            if (text_[pos_] == '\n') {
              ++pos_;
              continue;
            }
            Add(&w, Escape());
          } else if (q == '$' && c == '"') {
            Variable(&w);
          } else {
            Add(&w, q);
            ++pos_;
          }
        }
      } else if (c == '$') {
        Variable(&w);
      } else if (c == '\\' && pos_ + 1 < text_.size()) {
        ++pos_;
        Add(&w, Escape());
      } else {
        Add(&w, c);
        ++pos_;
      }
    }
    if (!any) Error(std::string(1, pos_ < text_.size() ? text_[pos_] : ' ') + ": syntax error");
    return w;
  }

  Statement ReadStatement(const Word& head) {
    Statement st;
    if (head.size() == 1 && head[0].is_var) {
      st.is_var = true;
      st.name = head[0].text;
    } else {
      st.name = Flat(head);
    }
    SkipSpace();
    if (Peek(';')) {
      ++pos_;
      return st;
    }
    if (Peek('=')) {
      st.op = "=";
      ++pos_;
    } else if (text_.compare(pos_, 2, "+=") == 0) {
      st.op = "+=";
      pos_ += 2;
    } else
      st.op = "=";
    while (true) {
      SkipSpace();
      st.values.push_back(ReadWord());
      SkipSpace();
      if (Peek(',')) {
        ++pos_;
        continue;
      }
      if (Peek(';')) {
        ++pos_;
        break;
      }
      Error(std::string(1, pos_ < text_.size() ? text_[pos_] : ' ') + ": syntax error");
    }
    return st;
  }

  State& s_;
  std::vector<Section>* sections_;
  std::string text_;
  std::string file_;
  size_t pos_ = 0;
};

bool Matches(const std::string& jail, const std::string& section) {
  if (section == "*") return true;
  if (section.size() > 2 && section.compare(section.size() - 2, 2, ".*") == 0) {
    return jail.rfind(section.substr(0, section.size() - 1), 0) == 0;
  }
  return section == jail;
}

std::string BaseName(const std::string& name) {
  size_t dot = name.rfind('.');
  size_t start = dot == std::string::npos ? 0 : dot + 1;
  if (name.compare(start, 2, "no") == 0) return name.substr(0, start) + name.substr(start + 2);
  return name;
}

std::vector<Section> ReadAll(State& s, const std::string& file) {
  std::vector<Section> sections;
  Reader(s, &sections).File(file, 0);
  return sections;
}

}  // namespace

std::string JailParams::Get(const std::string& key) const {
  auto it = values.find(key);
  return it == values.end() || it->second.empty() ? "" : it->second.back();
}

bool JailParams::Bool(const std::string& key) const {
  for (const auto& [k, v] : values) {
    if (BaseName(k) != key) continue;
    bool set = v.empty() || v.back() == "true" || std::strtol(v.back().c_str(), nullptr, 10) != 0;
    return k == key ? set : !set;
  }
  return false;
}

std::vector<std::string> JailNames(State& s, const std::string& file) {
  std::vector<std::string> names;
  for (const Section& sec : ReadAll(s, file)) {
    if (sec.name != "*" && sec.name.find('*') == std::string::npos) names.push_back(sec.name);
  }
  return names;
}

std::optional<JailParams> ReadJail(State& s, const std::string& file, const std::string& name) {
  std::vector<Section> sections = ReadAll(s, file);
  bool found = std::any_of(sections.begin(), sections.end(),
                           [&](const Section& sec) { return sec.name == name; });
  if (!found) return std::nullopt;

  // Merge in file order; "no" forms replace their base parameter.
  std::vector<std::pair<std::string, std::pair<bool, std::vector<Word>>>> merged;
  merged.push_back({"name", {false, {Word{{false, name}}}}});
  for (const Section& sec : sections) {
    if (!Matches(name, sec.name)) continue;
    for (const Statement& st : sec.statements) {
      auto it = std::find_if(merged.begin(), merged.end(), [&](auto& m) {
        return m.second.first == st.is_var && BaseName(m.first) == BaseName(st.name);
      });
      if (it != merged.end() && it->first == "name" && !st.is_var)
        Fail(1, "jail: " + name + ": cannot redefine parameter \"name\".");
      if (it == merged.end()) {
        merged.push_back({st.name, {st.is_var, {}}});
        it = merged.end() - 1;
      }
      it->first = st.name;
      if (st.op != "+=") it->second.second.clear();
      for (const Word& w : st.values) it->second.second.push_back(w);
    }
  }
  // Substitute variables (parameters are variables too).
  std::map<std::string, std::vector<Word>> lookup;
  for (auto& [n, v] : merged) lookup[n] = v.second;
  std::function<std::vector<std::string>(const std::string&, const Word&, int)> expand;
  expand = [&](const std::string& param, const Word& w, int depth) -> std::vector<std::string> {
    if (depth > 32) Fail(1, "jail: " + name + ": " + param + ": variable loop");
    std::string out;
    std::vector<std::string> list;
    for (const Piece& p : w) {
      if (!p.is_var) {
        out += p.text;
        continue;
      }
      auto it = lookup.find(p.text);
      if (it == lookup.end() || it->second.empty()) {
        Fail(1, "jail: " + name + ": " + param + ": variable \"" + p.text + "\" not found");
      }
      std::vector<std::string> values;
      for (const Word& vw : it->second)
        for (auto& v : expand(param, vw, depth + 1)) values.push_back(v);
      if (values.size() > 1 && w.size() > 1)
        Fail(1, "jail: " + name + ": " + param + ": array cannot be substituted inline");
      if (values.size() > 1) return values;
      out += values[0];
    }
    return {out};
  };
  JailParams result;
  result.name = name;
  for (auto& [n, v] : merged) {
    if (v.first) continue;  // variables never reach jail(8)'s parameters
    std::vector<std::string> values;
    for (const Word& w : v.second)
      for (auto& x : expand(n, w, 0)) values.push_back(x);
    result.order.push_back(n);
    result.values[n] = values;
  }
  return result;
}

}  // namespace sim
