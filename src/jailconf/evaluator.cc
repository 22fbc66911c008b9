#include "jailconf/evaluator.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "jailconf/names.h"
#include "jailconf/param_table.h"

namespace ljail::jailconf {
namespace {

// A value while variables are being substituted (config.c's cfstring). The
// references still to substitute are read in place from the syntax tree, in
// order; `shift` is what earlier substitutions inserted before them.
struct WorkString {
  std::string text;
  const VarRef* next_var = nullptr;
  const VarRef* vars_end = nullptr;
  size_t shift = 0;
  Location location;

  bool HasVars() const { return next_var != vars_end; }
  size_t PendingVars() const { return static_cast<size_t>(vars_end - next_var); }
  const std::string& VarName() const { return next_var->name; }
  size_t VarPos() const { return next_var->pos + shift; }
};

// A parameter or variable of one jail (config.c's cfparam).
struct WorkParam {
  std::string name;
  bool is_variable = false;
  bool immutable = false;
  bool bad = false;  // PF_BAD: a substitution in it failed
  int generation = 0;
  std::vector<WorkString> values;
  Location location;
};

class JailEvaluator {
 public:
  JailEvaluator(const Section& own, Diagnostics* diagnostics)
      : own_(own), diagnostics_(diagnostics) {
    params_.reserve(32);
  }

  EvaluatedJail Evaluate(const std::vector<const Section*>& wildcards, size_t own_index,
                         const std::vector<size_t>& wildcard_indexes) {
    AddImplied();
    // Wildcard sections before the jail's own block are defaults, those after
    // it override: merge everything in file order.
    bool did_self = false;
    for (size_t w = 0; w < wildcards.size(); ++w) {
      if (own_index < wildcard_indexes[w] && !did_self) {
        AddSection(own_);
        did_self = true;
      }
      if (WildcardMatches(own_.name, wildcards[w]->name)) AddSection(*wildcards[w]);
    }
    if (!did_self) AddSection(own_);
    Substitute();
    return Result();
  }

 private:
  void Error(const Location& location, std::string message) {
    diagnostics_->Error(location, std::move(message), own_.name);
    failed_ = true;
  }

  void AddImplied() {
    WorkParam implied;
    implied.name = NameIsJid(own_.name) ? "jid" : "name";
    implied.immutable = true;
    implied.values.push_back({own_.name, nullptr, nullptr, 0, own_.location});
    implied.location = own_.location;
    params_.push_back(std::move(implied));
  }

  void AddSection(const Section& section) {
    for (const Statement* statement : section.statements) AddParam(*statement);
  }

  // config.c add_param().
  void AddParam(const Statement& statement) {
    std::vector<WorkString> values;
    values.reserve(statement.values.size());
    for (const ConfString& v : statement.values) {
      values.push_back({v.text, v.vars.data(), v.vars.data() + v.vars.size(), 0, v.location});
    }

    auto existing = std::find_if(params_.begin(), params_.end(), [&](const WorkParam& p) {
      return SameParam(p.name, statement.name);
    });
    if (existing != params_.end()) {
      if (existing->is_variable != statement.is_variable) {
        Error(statement.location, fmt::format("variable \"${}\" cannot have the same name as a "
                                              "parameter.",
                                              statement.name));
        return;
      }
      if (existing->immutable) {
        Error(statement.location, fmt::format("cannot redefine parameter \"{}\".", existing->name));
        return;
      }
      existing->name = statement.name;
      if (statement.op != AssignOp::kAppend || values.empty()) existing->values.clear();
      for (WorkString& v : values) existing->values.push_back(std::move(v));
      existing->location = statement.location;
      return;
    }
    if (statement.is_variable && VariableNameIsReserved(statement.name)) {
      Error(statement.location, fmt::format("variable \"${}\" cannot have the same name as a "
                                            "parameter.",
                                            statement.name));
      return;
    }
    WorkParam param;
    param.name = statement.name;
    param.is_variable = statement.is_variable;
    param.values = std::move(values);
    param.location = statement.location;
    params_.push_back(std::move(param));
  }

  WorkParam* FindExact(const std::string& name) {
    for (WorkParam& p : params_) {
      if (p.name == name) return &p;
    }
    return nullptr;
  }

  static bool HasVars(const WorkParam& p) {
    return std::any_of(p.values.begin(), p.values.end(),
                       [](const WorkString& s) { return s.HasVars(); });
  }

  void MarkGenerationBad(int generation) {
    for (WorkParam& p : params_) {
      if (p.generation == generation) p.bad = true;
    }
    failed_ = true;
  }

  // The substitution loop of config.c load_config(). A parameter whose
  // values refer to an unresolved one is resolved after moving that one in
  // front of it, which is also what detects loops; the parameter order that
  // results is jail(8)'s.
  void Substitute() {
    int generation = 0;
    for (size_t index = 0; index < params_.size(); ++index) {
      params_[index].generation = ++generation;
      while (!ResolveParam(index, generation)) {
      }
    }
  }

  // Resolves params_[index]; false when a dependency was moved to `index`
  // and resolution must start over there (config.c's "goto find_vars").
  bool ResolveParam(size_t index, int generation) {
    for (size_t s = 0; s < params_[index].values.size(); ++s) {
      while (params_[index].values[s].HasVars()) {
        WorkParam& p = params_[index];
        WorkString& value = p.values[s];
        const std::string& var_name = value.VarName();
        WorkParam* source = FindExact(var_name);
        if (!source || source->values.empty()) {
          diagnostics_->Error(value.location,
                              fmt::format("{}: variable \"{}\" not found", p.name, var_name),
                              own_.name);
          MarkGenerationBad(generation);
        } else if (source->bad) {
          MarkGenerationBad(generation);
        } else if (source->generation == generation) {
          diagnostics_->Error(value.location, fmt::format("{}: variable loop", var_name),
                              own_.name);
          MarkGenerationBad(generation);
        } else if (HasVars(*source)) {
          source->generation = generation;
          size_t from = static_cast<size_t>(source - params_.data());
          WorkParam moved = std::move(*source);
          params_.erase(params_.begin() + static_cast<std::ptrdiff_t>(from));
          params_.insert(params_.begin() + static_cast<std::ptrdiff_t>(index), std::move(moved));
          return false;
        } else if (source->values.size() > 1 && (!value.text.empty() || value.PendingVars() > 1)) {
          diagnostics_->Error(value.location,
                              fmt::format("{}: array cannot be substituted inline", p.name),
                              own_.name);
          MarkGenerationBad(generation);
        } else {
          SubstituteValue(index, s, *source);
          continue;
        }
        ++params_[index].values[s].next_var;  // config.c's free_var
      }
    }
    return true;
  }

  void SubstituteValue(size_t index, size_t s, const WorkParam& source) {
    WorkString& value = params_[index].values[s];
    const std::string var_name = value.VarName();
    const std::string& inserted = source.values.front().text;
    value.text.insert(value.VarPos(), inserted);
    value.shift += inserted.size();
    ++value.next_var;
    if (source.values.size() == 1) return;
    // A list-valued variable standing alone as a value. The grammar and the
    // inline check allow it, but jail(8) then dereferences NULL and crashes
    // (docs/freebsd.md §1.3). Give the intended values, and an error: the
    // file cannot be used on FreeBSD.
    Location location = value.location;
    std::vector<WorkString> extra;
    for (size_t i = 1; i < source.values.size(); ++i) {
      extra.push_back({source.values[i].text, nullptr, nullptr, 0, location});
    }
    auto& values = params_[index].values;
    values.insert(values.begin() + static_cast<std::ptrdiff_t>(s) + 1, extra.begin(), extra.end());
    diagnostics_->Error(location,
                        fmt::format("{}: list variable \"{}\" used as a whole value: jail(8) "
                                    "crashes on this; write the values out",
                                    params_[index].name, var_name),
                        own_.name);
    failed_ = true;
  }

  EvaluatedJail Result() {
    EvaluatedJail jail;
    jail.name = own_.name;
    jail.location = own_.location;
    jail.failed = failed_;
    for (WorkParam& p : params_) {
      EvaluatedParam out{std::move(p.name), {}, p.location};
      for (WorkString& v : p.values) out.values.push_back(std::move(v.text));
      (p.is_variable ? jail.variables : jail.params).push_back(std::move(out));
    }
    return jail;
  }

  const Section& own_;
  Diagnostics* diagnostics_;
  std::vector<WorkParam> params_;
  bool failed_ = false;
};

}  // namespace

void ForEachEvaluatedJail(const LoadedConfig& config, Diagnostics* diagnostics,
                          const std::function<void(EvaluatedJail&&)>& visit,
                          std::optional<std::string_view> only) {
  std::vector<const Section*> wildcards;
  std::vector<size_t> wildcard_indexes;
  for (size_t i = 0; i < config.sections.size(); ++i) {
    if (config.sections[i].wildcard) {
      wildcards.push_back(&config.sections[i]);
      wildcard_indexes.push_back(i);
    }
  }
  std::unordered_map<std::string_view, Location> first_definition;
  for (size_t i = 0; i < config.sections.size(); ++i) {
    const Section& section = config.sections[i];
    if (section.wildcard || (only && section.name != *only)) continue;
    EvaluatedJail jail =
        JailEvaluator(section, diagnostics).Evaluate(wildcards, i, wildcard_indexes);
    auto [previous, inserted] = first_definition.emplace(section.name, section.location);
    if (!inserted) {
      // jail(8) keeps both blocks as separate jails of the same name; the
      // second one always fails to be created.
      diagnostics->Error(section.location,
                         fmt::format("jail \"{}\" is defined again (first at {} line {}); jail(8) "
                                     "does not merge blocks and fails on the second",
                                     section.name, previous->second.file, previous->second.line),
                         section.name);
      jail.failed = true;
    }
    visit(std::move(jail));
  }
}

std::vector<EvaluatedJail> EvaluateConfig(const LoadedConfig& config, Diagnostics* diagnostics) {
  std::vector<EvaluatedJail> jails;
  ForEachEvaluatedJail(config, diagnostics,
                       [&](EvaluatedJail&& jail) { jails.push_back(std::move(jail)); });
  return jails;
}

}  // namespace ljail::jailconf
