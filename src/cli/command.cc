#include "cli/command.h"

#include <CLI/CLI.hpp>
#include <utility>

namespace ljail::cli {

Opt Opt::Required() {
  option_->required();
  return *this;
}

Opt Opt::TypeName(const std::string& name) {
  option_->type_name(name);
  return *this;
}

Opt Opt::OneOf(const std::vector<std::string>& words) {
  option_->check(CLI::IsMember(words));
  return *this;
}

Opt Opt::Excludes(Opt other) {
  option_->excludes(other.option_);
  return *this;
}

Command Command::AddSubcommand(const std::string& name, const std::string& description) {
  return Command(app_->add_subcommand(name, description));
}

Opt Command::AddOption(const std::string& name, std::string& into, const std::string& description) {
  return Opt(app_->add_option(name, into, description));
}

Opt Command::AddOption(const std::string& name, std::vector<std::string>& into,
                       const std::string& description) {
  return Opt(app_->add_option(name, into, description));
}

Opt Command::AddOption(const std::string& name, std::optional<std::string>& into,
                       const std::string& description) {
  return Opt(app_->add_option(name, into, description));
}

Opt Command::AddOption(const std::string& name, int& into, const std::string& description) {
  return Opt(app_->add_option(name, into, description));
}

Opt Command::AddOption(const std::string& name, std::optional<unsigned>& into,
                       const std::string& description) {
  return Opt(app_->add_option(name, into, description));
}

Opt Command::AddFlag(const std::string& name, bool& into, const std::string& description) {
  return Opt(app_->add_flag(name, into, description));
}

void Command::Callback(std::function<void()> run) { app_->callback(std::move(run)); }

void Command::RequireSubcommand(int count) { app_->require_subcommand(count); }

}  // namespace ljail::cli
