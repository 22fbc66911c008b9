#include "jailconf/jail.h"

#include "jailconf/names.h"

namespace ljail::jailconf {

const EvaluatedParam* EvaluatedJail::Find(std::string_view key) const {
  for (const EvaluatedParam& p : params) {
    if (SameParam(p.name, key)) return &p;
  }
  return nullptr;
}

const EvaluatedParam* EvaluatedJail::FindVariable(std::string_view key) const {
  for (const EvaluatedParam& v : variables) {
    if (v.name == key) return &v;
  }
  return nullptr;
}

bool EvaluatedJail::Bool(std::string_view key, bool fallback) const {
  const EvaluatedParam* p = Find(key);
  if (!p) return fallback;
  // BoolValue() answers for the positive name ("persist" even when the
  // file says "nopersist;"); a question about the "no" form gets the inverse.
  bool value = BoolValue(p->name, p->values);
  return WithoutNoPrefix(key) != key ? !value : value;
}

std::optional<std::string> EvaluatedJail::String(std::string_view key) const {
  const EvaluatedParam* p = Find(key);
  if (!p || p->values.empty()) return std::nullopt;
  return p->values.back();
}

std::vector<std::string> EvaluatedJail::List(std::string_view key) const {
  const EvaluatedParam* p = Find(key);
  return p ? p->values : std::vector<std::string>{};
}

std::optional<std::string> EvaluatedJail::Variable(std::string_view key) const {
  const EvaluatedParam* v = FindVariable(key);
  if (!v || v->values.empty()) return std::nullopt;
  return v->values.back();
}

}  // namespace ljail::jailconf
