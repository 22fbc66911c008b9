// How long the jail.conf engine takes on a large host: 10,000 jails spread
// over 10 included files, with top-level defaults, quoted prefix wildcards,
// per-jail variables and mount lines that use $path.
//
//   jailconf_bench                         Google Benchmark run
//   jailconf_bench --generate DIR          only write the files under DIR
//                                          (for `hyperfine 'ljail --root DIR conf check'`)
#include <benchmark/benchmark.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "jailconf/jail_config.h"
#include "jailconf/parser.h"

namespace {

constexpr int kJails = 10000;
constexpr int kFiles = 10;

std::string MainFile() {
  return R"(# /etc/jail.conf for a large host
exec.start = "/bin/sh /etc/rc";
exec.stop = "/bin/sh /etc/rc.shutdown";
exec.clean;
mount.devfs;
$domain = "example.org";
path = "/usr/local/jails/containers/$name";
host.hostname = "${name}.${domain}";
"web.*" { $role = web; allow.raw_sockets; devfs_ruleset = 11; }
"db.*" { $role = db; allow.sysvipc; }
.include "/etc/jail.conf.d/*.conf";
# forced overrides after every jail
securelevel = 3;
)";
}

std::string IncludedFile(int file) {
  std::string out;
  for (int i = file * (kJails / kFiles); i < (file + 1) * (kJails / kFiles); ++i) {
    std::string name = (i % 2 ? "web." : "db.") + std::to_string(i);
    out += "\"" + name + "\" {\n";
    out += "  ip4.addr = \"10." + std::to_string(i / 65536) + "." + std::to_string(i / 256 % 256) +
           "." + std::to_string(i % 256) + "/16\";\n";
    out += "  $ljail_distro = debian;\n  $ljail_suite = bookworm;\n";
    out += "  mount += \"devfs $path/compat/$ljail_distro/dev devfs rw,ruleset=11 0 0\";\n";
    out += "  mount += \"linprocfs $path/compat/$ljail_distro/proc linprocfs rw 0 0\";\n";
    out += "  mount += \"/home $path/compat/$ljail_distro/home nullfs rw 0 0\";\n";
    out += "  exec.consolelog = \"/var/log/jail_${name}_$role.log\";\n";
    out += "}\n";
  }
  return out;
}

void Generate(const std::string& root) {
  std::filesystem::create_directories(root + "/etc/jail.conf.d");
  std::ofstream(root + "/etc/jail.conf") << MainFile();
  for (int f = 0; f < kFiles; ++f) {
    std::ofstream(root + "/etc/jail.conf.d/part" + std::to_string(f) + ".conf") << IncludedFile(f);
  }
}

const std::string& Root() {
  static const std::string root = [] {
    std::string dir = (std::filesystem::temp_directory_path() / "ljail-bench-10k").string();
    Generate(dir);
    return dir;
  }();
  return root;
}

// Whole pipeline, as `ljail conf check` runs it: read, glob, parse, merge,
// substitute, validate.
void BM_LoadEvaluateValidate10kJails(benchmark::State& state) {
  ljail::RootFs root(Root());
  for (auto _ : state) {
    ljail::jailconf::JailConfig config = ljail::jailconf::JailConfig::Load("/etc/jail.conf", root);
    if (config.jails.size() != kJails || config.syntax.HasErrors() ||
        config.evaluation.HasErrors()) {
      state.SkipWithError("unexpected result");
    }
    benchmark::DoNotOptimize(config);
  }
  state.counters["jails/s"] =
      benchmark::Counter(static_cast<double>(kJails) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}
BENCHMARK(BM_LoadEvaluateValidate10kJails)->Unit(benchmark::kMillisecond);

// Reading and parsing the same files, without evaluation.
void BM_LoadOnly10kJails(benchmark::State& state) {
  ljail::RootFs root(Root());
  for (auto _ : state) {
    ljail::jailconf::Diagnostics diagnostics;
    benchmark::DoNotOptimize(ljail::jailconf::LoadConfigFile("/etc/jail.conf", root, &diagnostics));
  }
}
BENCHMARK(BM_LoadOnly10kJails)->Unit(benchmark::kMillisecond);

// Lexing and parsing alone, on one 1,000-jail file already in memory.
void BM_Parse1kJailFile(benchmark::State& state) {
  std::string text = IncludedFile(0);
  for (auto _ : state) {
    ljail::jailconf::Diagnostics diagnostics;
    benchmark::DoNotOptimize(ljail::jailconf::ParseConfig("part0.conf", text, &diagnostics));
  }
  state.SetBytesProcessed(static_cast<int64_t>(text.size()) * state.iterations());
}
BENCHMARK(BM_Parse1kJailFile)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::strcmp(argv[1], "--generate") == 0) {
    Generate(argv[2]);
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
