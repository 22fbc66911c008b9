// Work done in a forked child (a private mount namespace, the keeper),
// with its outcome carried back to the parent whole: "ok", or the
// ljail::Error it threw, code and message (code-style-anchors §6.12).
#pragma once

#include <exception>
#include <functional>
#include <string>

namespace ljail::host::linux_ns {

/// Runs `fn` and writes its outcome to `fd`; true when it succeeded.
bool ReportOutcome(int fd, const std::function<void()>& fn);

/// Writes an error as ReportOutcome does (for a child that reports only
/// failures and lets a successful exec close the pipe).
void ReportError(int fd, const std::exception& error);

/// Reads what ReportOutcome wrote until the pipe closes and throws the
/// error it carries (its errno too); `who` names the child when it died
/// without a word. With `silence_is_success`, a pipe closed with nothing
/// in it means success: the child reached a successful exec (O_CLOEXEC).
void ReadOutcome(int fd, const std::string& who, bool silence_is_success = false);

/// Runs `fn` in a forked child, waits for it and rethrows its error. The
/// child ends with _exit: no atexit handlers, no flushing of the parent's
/// buffers twice.
void RunInChild(const std::function<void()>& fn, const std::string& who);

}  // namespace ljail::host::linux_ns
