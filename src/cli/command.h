// The verbs' view of the command line: subcommands, options and flags,
// declared through these two small handles on CLI11's objects. Only
// command.cc, app.cc (which parses) and completion_verb.cc (which walks
// the definition) include CLI11, a header-only library: compiled once
// instead of in every verb file, it no longer dominates the build's and
// the lint's time for src/cli (docs/testing.md, CI time).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace CLI {  // NOLINT(readability-identifier-naming): CLI11's own
class App;
class Option;
}  // namespace CLI

namespace ljail::cli {

/// One option or flag of a command.
class Opt {
 public:
  explicit Opt(CLI::Option* option) : option_(option) {}
  /// The command line must give it (a positional the verb needs).
  Opt Required();
  /// The word --help shows for its value ("DIR", "G,...").
  Opt TypeName(const std::string& name);
  /// Its value must be one of `words`.
  Opt OneOf(const std::vector<std::string>& words);
  /// It cannot be given together with `other` (a usage error).
  Opt Excludes(Opt other);

 private:
  CLI::Option* option_;
};

/// A command (ljail itself, a verb or a subverb).
class Command {
 public:
  explicit Command(CLI::App* app) : app_(app) {}

  Command AddSubcommand(const std::string& name, const std::string& description);
  /// A positional ("name") or an option ("--uid", "-u,--user") that sets
  /// `into`; a list takes every value given.
  Opt AddOption(const std::string& name, std::string& into, const std::string& description);
  Opt AddOption(const std::string& name, std::vector<std::string>& into,
                const std::string& description);
  Opt AddOption(const std::string& name, std::optional<std::string>& into,
                const std::string& description);
  Opt AddOption(const std::string& name, int& into, const std::string& description);
  Opt AddOption(const std::string& name, std::optional<unsigned>& into,
                const std::string& description);
  Opt AddFlag(const std::string& name, bool& into, const std::string& description);
  /// What the command does once the line has parsed and named it.
  void Callback(std::function<void()> run);
  /// The command needs `count` subcommands (1: a verb group).
  void RequireSubcommand(int count);

  /// CLI11's object: for the parser and the completion walk alone.
  CLI::App* Cli() const { return app_; }

 private:
  CLI::App* app_;
};

}  // namespace ljail::cli
