#include "jailconf/jail_config.h"

#include "jailconf/evaluator.h"
#include "jailconf/validate.h"

namespace ljail::jailconf {
namespace {

void EvaluateInto(JailConfig* config, std::optional<std::string_view> only = std::nullopt) {
  ForEachEvaluatedJail(
      config->loaded, &config->evaluation,
      [&](EvaluatedJail&& jail) {
        ValidateJail(jail, &config->evaluation);
        config->jails.push_back(std::move(jail));
      },
      only);
}

}  // namespace

JailConfig JailConfig::Load(const std::string& path, const RootFs& root) {
  JailConfig config;
  config.loaded = LoadConfigFile(path, root, &config.syntax);
  EvaluateInto(&config);
  return config;
}

JailConfig JailConfig::LoadJail(const std::string& path, const RootFs& root,
                                std::string_view jail) {
  JailConfig config;
  config.loaded = LoadConfigFile(path, root, &config.syntax);
  EvaluateInto(&config, jail);
  return config;
}

JailConfig JailConfig::FromText(const std::string& name, std::string text, const RootFs& root,
                                Grammar grammar) {
  JailConfig config;
  config.loaded = LoadConfigText(name, std::move(text), root, &config.syntax, grammar);
  EvaluateInto(&config);
  return config;
}

const EvaluatedJail* JailConfig::Find(std::string_view name) const {
  for (const EvaluatedJail& jail : jails) {
    if (jail.name == name) return &jail;
  }
  return nullptr;
}

std::vector<Diagnostic> JailConfig::MessagesFor(std::string_view jail) const {
  std::vector<Diagnostic> out = syntax.all();
  for (const Diagnostic& d : evaluation.all()) {
    if (d.jail == jail) out.push_back(d);
  }
  return out;
}

bool JailConfig::JailIsUsable(std::string_view jail) const {
  if (syntax.HasErrors()) return false;
  const EvaluatedJail* found = Find(jail);
  if (!found || found->failed) return false;
  for (const Diagnostic& d : evaluation.all()) {
    if (d.jail == jail && d.severity == Severity::kError) return false;
  }
  return true;
}

}  // namespace ljail::jailconf
