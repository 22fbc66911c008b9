// libFuzzer target for the jail.conf engine: any bytes must parse, evaluate
// and validate without a crash, a hang or a sanitizer report, and what the
// writer produces must read back to the same values.
//
//   cmake -DLJAIL_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ ...; ./jailconf_fuzz -max_total_time=60
//   fuzz/corpus
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.h"
#include "jailconf/document.h"
#include "jailconf/jail_config.h"
#include "jailconf/parser.h"
#include "jailconf/writer.h"

namespace {

using namespace ljail::jailconf;

// Includes resolve under a root that does not exist, so the fuzzer never
// reads the machine's files.
const ljail::RootFs kNoFiles("/nonexistent-ljail-fuzz-root");

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

// Every evaluated value, written as a literal, must read back unchanged.
void CheckWriterRoundTrip(const EvaluatedJail& jail) {
  for (const EvaluatedParam& p : jail.params) {
    for (const std::string& value : p.values) {
      Diagnostics d;
      SyntaxFile f = ParseConfig("rt", "x = " + FormatValue(ConfValue::Literal(value)) + ";", &d);
      Check(!d.HasErrors());
      Check(std::get<Statement>(f.items.at(0)).values.at(0).text == value);
    }
  }
}

// Edits of a valid file must leave a valid file that means what was asked.
void CheckEdits(const std::string& text, const EvaluatedJail& jail) {
  try {
    ConfigDocument doc("/fuzz/input.conf", text);
    if (!doc.HasJail(jail.name)) return;
    doc.SetParam(jail.name, "host.hostname", Literals({"fuzz.example"}));
    doc.AppendParam(jail.name, "mount", Literals({"tmpfs /j/tmp tmpfs rw 0 0"}));
    doc.SetVariable(jail.name, "ljail_fuzz", Literals({"x y"}));
    doc.RemoveParam(jail.name, "persist");
    JailConfig after = JailConfig::FromText("/fuzz/input.conf", doc.text(), kNoFiles);
    Check(!after.syntax.HasErrors());
  } catch (const ljail::Error&) {
    // Duplicate blocks are refused by design.
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  JailConfig config = JailConfig::FromText("/fuzz/input.conf", text, kNoFiles);
  for (const EvaluatedJail& jail : config.jails) {
    CheckWriterRoundTrip(jail);
    (void)jail.Bool("persist");
    (void)config.JailIsUsable(jail.name);
  }
  if (!config.syntax.HasErrors() && !config.jails.empty()) CheckEdits(text, config.jails.front());
  return 0;
}
