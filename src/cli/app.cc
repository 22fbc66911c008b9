#include "cli/app.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <string>

#include "cli/verbs.h"
#include "core/error.h"
#include "core/spelling.h"

namespace ljail::cli {
namespace {

// Global options that take a value, so the verb scan can skip the value.
bool TakesValue(std::string_view arg) { return arg == "--root"; }

// Where the verb is among the arguments (after the global options); argc
// when there is none.
int VerbIndex(int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") return argc;
    if (!arg.starts_with("-")) return i;
    if (TakesValue(arg)) ++i;
  }
  return argc;
}

// "ljail strat" -> "unknown command 'strat'; did you mean 'start'?" (exit 2),
// before CLI11 gets to call it an unexpected extra argument.
std::string UnknownVerbMessage(int argc, const char* const* argv) {
  if (int i = VerbIndex(argc, argv); i < argc) {
    std::string_view arg = argv[i];
    std::string suggestion;
    for (const VerbGroup& verb : Verbs()) {
      for (std::string_view name : verb.names) {
        if (name == arg) return "";
        if (CloseEnough(arg, name)) suggestion = name;
      }
    }
    std::string message = fmt::format("unknown command '{}'", arg);
    if (!suggestion.empty()) message += fmt::format("; did you mean '{}'?", suggestion);
    return message + " (see ljail --help)";
  }
  return "";
}

}  // namespace

int Run(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"ljail: Linux jails on FreeBSD (and Linux), kept as jail.conf(5) files"};
  app.name("ljail");
  app.set_version_flag("--version", LJAIL_VERSION);
  app.require_subcommand(1);
  app.fallthrough();

  Context context{{}, &out, &err};
  app.add_option("--root", context.options.root,
                 "Prefix for every host path ljail reads or writes (tests, images)")
      ->type_name("DIR");
  app.add_flag("-n,--dry-run", context.options.dry_run,
               "Print the commands and files a verb would run and write; change nothing");
  app.add_flag("-v,--verbose", context.options.verbose, "Print every command ljail runs");

  Action action;
  for (const VerbGroup& verb : Verbs()) verb.add(Command(&app), &action);

  // Split at "--" before CLI11 parses anything: what follows is a command
  // line for the jail and must reach it byte for byte.
  std::vector<const char*> args(argv, argv + argc);
  context.options.command_line.assign(args.begin() + (argc > 0 ? 1 : 0), args.end());
  for (size_t i = 1; i < args.size(); ++i) {
    if (std::string_view(args[i]) == "--") {
      context.options.has_passthrough = true;
      context.options.passthrough.assign(args.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                                         args.end());
      args.resize(i);
      break;
    }
  }
  // `ljail help [VERB [SUBVERB]]` is `ljail [VERB [SUBVERB]] --help`; a bare
  // `ljail` prints the verb list (on stderr: no verb is a usage error).
  int verb = VerbIndex(static_cast<int>(args.size()), args.data());
  bool asks = std::any_of(args.begin() + 1, args.end(), [](std::string_view a) {
    return a == "-h" || a == "--help" || a == "--version";
  });
  if (verb == static_cast<int>(args.size()) && !asks && !context.options.has_passthrough) {
    err << app.help();
    return static_cast<int>(ExitCode::kUsage);
  }
  if (verb < static_cast<int>(args.size()) &&
      std::string_view(args[static_cast<size_t>(verb)]) == "help") {
    args.erase(args.begin() + verb);
    args.push_back("--help");
  }
  argc = static_cast<int>(args.size());
  argv = args.data();
  if (std::string unknown = UnknownVerbMessage(argc, argv); !unknown.empty()) {
    err << "ljail: " << unknown << "\n";
    return static_cast<int>(ExitCode::kUsage);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e, out, err);
  } catch (const CLI::ParseError& e) {
    err << "ljail: " << e.what() << "\n";
    return static_cast<int>(ExitCode::kUsage);
  }
  if (!action) return static_cast<int>(ExitCode::kUsage);
  try {
    return action(context);
  } catch (const Error& e) {
    err << "ljail: " << e.what() << "\n";
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    err << "ljail: internal error: " << e.what() << "\n";
    return static_cast<int>(ExitCode::kFailed);
  }
}

}  // namespace ljail::cli
