#include "host/zfs.h"

#include "core/error.h"
#include "core/strings.h"

namespace ljail::host::zfs {
namespace {

const char* kColumns = "name,type,mountpoint,origin";

// `zfs list -H`: one line per dataset, fields separated by one TAB.
std::vector<Entry> ParseList(const std::string& out) {
  std::vector<Entry> entries;
  for (const std::string& line : SplitLines(out)) {
    std::vector<std::string> f = Split(line, '\t');
    if (f.size() != 4) ThrowFailure("zfs list: unexpected line: " + line);
    entries.push_back({f[0], f[1], f[2], f[3]});
  }
  return entries;
}

}  // namespace

Command Create(const std::string& dataset, const std::vector<std::string>& properties) {
  Command c{"zfs", "create"};
  for (const std::string& p : properties) {
    c.argv.push_back("-o");
    c.argv.push_back(p);
  }
  c.argv.push_back(dataset);
  return c;
}

Command Snapshot(const std::string& snapshot) { return {"zfs", "snapshot", snapshot}; }

Command Clone(const std::string& snapshot, const std::string& dataset) {
  return {"zfs", "clone", snapshot, dataset};
}

Command Destroy(const std::string& dataset, bool recursive) {
  if (recursive) return {"zfs", "destroy", "-r", dataset};
  return {"zfs", "destroy", dataset};
}

Command Set(const std::string& dataset, const std::string& property, const std::string& value) {
  return {"zfs", "set", property + "=" + value, dataset};
}

std::vector<std::string> Pools(const Host& host) {
  ProcessResult r;
  try {
    r = host.Run({"zfs", "list", "-H", "-o", "name", "-d", "0"});
  } catch (const Error&) {
    return {};  // no zfs(8) at all
  }
  std::vector<std::string> pools;
  if (!r.ok()) return pools;
  for (const std::string& line : SplitLines(r.out)) pools.push_back(line);
  return pools;
}

std::optional<Entry> Get(const Host& host, const std::string& name) {
  ProcessResult r =
      host.Run({"zfs", "list", "-H", "-p", "-o", kColumns, "-t", "filesystem,snapshot", name});
  if (!r.ok()) {
    if (r.err.find("dataset does not exist") != std::string::npos) return std::nullopt;
    ThrowFailure(DescribeFailure({"zfs", "list", name}, r));
  }
  std::vector<Entry> entries = ParseList(r.out);
  if (entries.empty()) return std::nullopt;
  return entries.front();
}

std::vector<Entry> ListTree(const Host& host, const std::string& name) {
  ProcessResult r = host.Run(
      {"zfs", "list", "-H", "-p", "-r", "-o", kColumns, "-t", "filesystem,snapshot", name});
  if (!r.ok()) {
    if (r.err.find("dataset does not exist") != std::string::npos) return {};
    ThrowFailure(DescribeFailure({"zfs", "list", "-r", name}, r));
  }
  return ParseList(r.out);
}

}  // namespace ljail::host::zfs
