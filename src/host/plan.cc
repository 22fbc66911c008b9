#include "host/plan.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <ostream>
#include <string_view>

#include "core/error.h"
#include "host/interrupt.h"

namespace ljail::host {
namespace {

// Printable enough for a terminal (a real /etc/localtime is not).
bool IsText(const std::string& content) {
  for (unsigned char c : content) {
    if (c < 0x20 && c != '\n' && c != '\t') return false;
    if (c == 0x7f) return false;
  }
  return true;
}

}  // namespace

Action Action::Run(Command command, std::vector<int> also_ok) {
  Action a;
  a.description = ShellQuote(command.argv);
  a.command = std::move(command);
  a.accepted_codes = std::move(also_ok);
  return a;
}

Action Action::RunWithProgress(Command command, std::vector<int> also_ok) {
  Action a = Run(std::move(command), std::move(also_ok));
  a.interactive = true;
  return a;
}

Action Action::Write(std::string path, std::string content, mode_t mode) {
  Action a;
  a.description = fmt::format("write {} (mode {:04o})", path, mode);
  a.file = FileWrite{std::move(path), std::move(content), mode};
  return a;
}

Action Action::Custom(std::string description, std::function<void(const Host&)> run) {
  Action a;
  a.description = std::move(description);
  a.run = std::move(run);
  return a;
}

Action Action::Reporting(std::string description,
                         std::function<void(const Host&, std::ostream&)> run) {
  Action a;
  a.description = std::move(description);
  a.run_reporting = std::move(run);
  return a;
}

Action Action::Verbatim(std::string command_line,
                        std::function<void(const Host&, std::ostream&)> run) {
  Action a = Reporting(std::move(command_line), std::move(run));
  a.verbatim = true;
  return a;
}

size_t Plan::Pending() const {
  size_t n = 0;
  for (const Step& s : steps) n += s.done ? 0 : 1;
  return n;
}

void PrintPlan(const Plan& plan, std::ostream& out) {
  out << "# " << plan.title << " (dry run: nothing is changed)\n";
  for (const Step& step : plan.steps) {
    if (step.done) {
      out << "# done: " << step.title << (step.detail.empty() ? "" : " (" + step.detail + ")")
          << "\n";
      continue;
    }
    out << "# step: " << step.title << (step.detail.empty() ? "" : " (" + step.detail + ")")
        << "\n";
    for (const Action& a : step.actions) {
      if (a.command) {
        std::string env;
        for (const auto& [name, value] : a.command->env)
          env += name + "=" + ShellQuoteWord(value) + " ";
        out << env << ShellQuote(a.command->argv) << "\n";
      } else if (a.file && !IsText(a.file->content)) {
        out << ": ljail: write " << a.file->path << " (" << a.file->content.size()
            << " bytes of binary content, mode " << fmt::format("{:04o}", a.file->mode) << ")\n";
      } else if (a.file) {
        out << "cat > " << ShellQuoteWord(a.file->path) << " <<'EOF'   # mode "
            << fmt::format("{:04o}", a.file->mode) << "\n"
            << a.file->content << (a.file->content.ends_with('\n') ? "" : "\n") << "EOF\n";
      } else if (a.verbatim) {
        out << a.description << (a.description.ends_with('\n') ? "" : "\n");
      } else {
        out << ": ljail: " << a.description << "\n";
      }
    }
  }
  if (plan.Pending() == 0) out << "# nothing to do\n";
}

namespace {

void RunAction(const Action& a, const Host& host, std::ostream& out) {
  if (a.command && a.interactive) {
    std::vector<int> ok = a.accepted_codes;
    ok.push_back(0);
    int code = host.Interactive(*a.command, {});
    if (std::find(ok.begin(), ok.end(), code) == ok.end()) {
      ThrowFailure(fmt::format("{}: exit {}", ShellQuote(a.command->argv), code));
    }
  } else if (a.command) {
    ProcessResult r = host.Run(*a.command);
    bool accepted = r.ok();
    for (int code : a.accepted_codes) accepted = accepted || (!r.timed_out && r.exit_code == code);
    if (!accepted) ThrowFailure(DescribeFailure(*a.command, r));
  } else if (a.file) {
    host.WriteFile(a.file->path, a.file->content, a.file->mode);
  } else if (a.run) {
    a.run(host);
  } else if (a.run_reporting) {
    a.run_reporting(host, out);
  }
}

void RunStep(const Step& step, const Host& host, std::ostream& out, std::string_view indent) {
  out << indent << "do    " << step.title << "\n" << std::flush;
  try {
    for (const Action& a : step.actions) {
      RunAction(a, host, out);
      CheckInterrupt("in " + step.title);
    }
  } catch (const Error& e) {
    // A failure that a signal caused (a command it stopped) is the signal's.
    if (int sig = PendingInterrupt(); sig != 0 && e.code() != ExitCode::kInterrupted)
      ThrowInterrupted(sig, step.title + ": " + e.what());
    throw e.WithContext(step.title);
  }
}

void RunSteps(const std::vector<Step>& steps, const Host& host, std::ostream& out,
              std::string_view indent) {
  for (const Step& step : steps) {
    if (step.done) {
      out << indent << "skip  " << step.title
          << (step.detail.empty() ? "" : " (" + step.detail + ")") << "\n";
      continue;
    }
    RunStep(step, host, out, indent);
    // Fault injection for the interruption tests (docs/error-handling.md):
    // die as a power cut would, right after the step whose title matches.
    if (const char* kill_after = std::getenv("LJAIL_FAULT_KILL_AFTER");
        kill_after && *kill_after && step.title.find(kill_after) != std::string::npos) {
      ::kill(::getpid(), SIGKILL);
    }
  }
}

// After a signal: the plan's cleanup, each action tried (a second signal
// stops the one it is in), then what the user runs to finish.
void RunInterruptCleanup(const Plan& plan, const Host& host, std::ostream& out) {
  for (const Action& a : plan.on_interrupt) {
    out << "  then  " << a.description << "\n" << std::flush;
    try {
      RunAction(a, host, out);
    } catch (const Error& e) {
      out << "        could not: " << e.what() << "\n";
    }
  }
  if (!plan.after_interrupt.empty()) out << plan.after_interrupt << "\n";
  out << std::flush;
}

}  // namespace

void RunPlan(const Plan& plan, const Host& host, std::ostream& out) {
  try {
    RunSteps(plan.steps, host, out, "  ");
  } catch (const Error& e) {
    if (e.code() == ExitCode::kInterrupted) RunInterruptCleanup(plan, host, out);
    throw;
  }
}

void RunSubSteps(const std::vector<Step>& steps, const Host& host, std::ostream& out) {
  RunSteps(steps, host, out, "        ");
}

}  // namespace ljail::host
