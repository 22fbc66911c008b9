// Plans as data (DESIGN.md, principle 2): a verb first computes an ordered
// list of steps, each already checked against the host ("done" or not) and
// carrying the exact actions that would do it. `--dry-run` prints the plan;
// otherwise the executor runs the actions of the steps not done. A rerun
// after an interruption computes a new plan, and what is done is skipped.
#pragma once

#include <sys/types.h>

#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "host/host.h"
#include "host/process.h"

namespace ljail::host {

struct FileWrite {
  std::string path;  ///< host path
  std::string content;
  mode_t mode = 0644;
};

/// One thing a step does: a command, a file to write, or ljail's own code
/// (extracting an archive, checking a checksum) described in words.
struct Action {
  std::string description;  ///< what --dry-run prints for custom actions
  std::optional<Command> command;
  std::optional<FileWrite> file;
  std::function<void(const Host&)> run;
  /// Like `run`, for ljail's own code that reports what it did.
  std::function<void(const Host&, std::ostream&)> run_reporting;
  /// Exit codes that count as success besides 0 (freebsd-update: 2).
  std::vector<int> accepted_codes;
  /// Runs on ljail's terminal (progress meters) instead of being captured.
  bool interactive = false;
  /// `description` is the exact command line the action runs where no host
  /// command can name it (inside a jail), and --dry-run prints it as it
  /// stands, not as ljail's own code.
  bool verbatim = false;

  static Action Run(Command command, std::vector<int> also_ok = {});
  /// A long command whose progress the user should see.
  static Action RunWithProgress(Command command, std::vector<int> also_ok = {});
  static Action Write(std::string path, std::string content, mode_t mode = 0644);
  static Action Custom(std::string description, std::function<void(const Host&)> run);
  static Action Reporting(std::string description,
                          std::function<void(const Host&, std::ostream&)> run);
  /// `run` does what `command_line` says (printed by --dry-run as it is).
  static Action Verbatim(std::string command_line,
                         std::function<void(const Host&, std::ostream&)> run);
};

struct Step {
  std::string title;   ///< "linux_enable=YES in /etc/rc.conf"
  bool done = false;   ///< found already done when the plan was made
  std::string detail;  ///< why it is done, or what is there now
  std::vector<Action> actions;
};

struct Plan {
  std::string title;
  std::vector<Step> steps;
  /// Run when a signal stops the plan (host/interrupt.h), once the step's
  /// processes are stopped: a create stops the jail its setup started.
  std::vector<Action> on_interrupt;
  /// Said then: "web is stopped and partial: ljail create ... finishes it".
  std::string after_interrupt;

  size_t Pending() const;
};

/// --dry-run: every step, and for each one not done the exact commands
/// (shell-quoted for reading) and files (with their content) it would run
/// and write. Changes nothing.
void PrintPlan(const Plan& plan, std::ostream& out);

/// Runs the actions of every step not done, in order, reporting each step
/// on `out`. The first failure stops the plan with an Error that names the
/// step; what earlier steps did stays done, and a rerun continues from there.
/// SIGINT, SIGTERM and SIGHUP stop the running step's processes, run the
/// plan's on_interrupt actions and end it with exit 130 (ExitCode::kInterrupted).
void RunPlan(const Plan& plan, const Host& host, std::ostream& out);

/// The steps one step found when it ran (a create's setup, in a tree that
/// did not exist when the plan was made): each not done is run, each
/// reported below the step ("        skip  ...", "        do    ...").
void RunSubSteps(const std::vector<Step>& steps, const Host& host, std::ostream& out);

}  // namespace ljail::host
