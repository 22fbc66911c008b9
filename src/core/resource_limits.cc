#include "core/resource_limits.h"

#include <fmt/format.h>

#include <charconv>
#include <limits>

#include "core/error.h"
#include "core/strings.h"

namespace ljail {
namespace {

std::optional<std::uint64_t>* Field(ResourceLimits& l, const std::string& resource) {
  if (resource == "memoryuse") return &l.memoryuse;
  if (resource == "maxproc") return &l.maxproc;
  if (resource == "pcpu") return &l.pcpu;
  return nullptr;
}

// A decimal number with, for memory, one of rctl's suffixes (expand_number(3):
// k, m, g, t in either case, powers of 1024). nullopt on anything else,
// overflow included.
std::optional<std::uint64_t> Amount(const std::string& text, bool suffix_allowed) {
  std::uint64_t n = 0;
  const char* end = text.data() + text.size();
  auto [rest, ec] = std::from_chars(text.data(), end, n);
  if (ec != std::errc() || rest == text.data()) return std::nullopt;
  if (rest == end) return n;
  if (!suffix_allowed || rest + 1 != end) return std::nullopt;
  int shift = 0;
  switch (*rest) {
    case 'k':
    case 'K':
      shift = 10;
      break;
    case 'm':
    case 'M':
      shift = 20;
      break;
    case 'g':
    case 'G':
      shift = 30;
      break;
    case 't':
    case 'T':
      shift = 40;
      break;
    default:
      return std::nullopt;
  }
  if (n > (std::numeric_limits<std::uint64_t>::max() >> shift)) return std::nullopt;
  return n << shift;
}

}  // namespace

const std::vector<std::string>& LimitResources() {
  static const std::vector<std::string> kResources = {"memoryuse", "maxproc", "pcpu"};
  return kResources;
}

std::string SetLimit(ResourceLimits& limits, const std::string& resource,
                     const std::string& value) {
  std::optional<std::uint64_t>* field = Field(limits, resource);
  if (!field) {
    ThrowUsage(fmt::format("{}: not a resource ljail limits ({})", resource,
                           Join(LimitResources(), ", ")));
  }
  if (value == "none") {
    field->reset();
    return value;
  }
  bool memory = resource == "memoryuse";
  std::optional<std::uint64_t> n = Amount(value, memory);
  // A jail always holds at least its keeper (Linux) or a process of
  // rc (FreeBSD); less than a megabyte of memory would kill it at once.
  std::uint64_t least = memory ? (1ULL << 20) : 1;
  if (!n || *n < least) {
    const char* expected = memory ? "bytes, at least 1M, or with a suffix K, M, G, T (512M)"
                           : resource == "pcpu"
                               ? "a percentage of one CPU, at least 1 (200 = two CPUs)"
                               : "a number of processes, at least 1";
    ThrowUsage(
        fmt::format("{}={}: expected {}, or none to remove the limit", resource, value, expected));
  }
  *field = n;
  return std::to_string(*n);
}

ResourceLimits ParseRctlVariable(const std::string& text, const std::string& where) {
  ResourceLimits limits;
  for (const std::string& word : Words(text)) {
    size_t eq = word.find('=');
    std::string resource = word.substr(0, eq);
    std::string value = eq == std::string::npos ? "" : word.substr(eq + 1);
    try {
      if (value == "none") ThrowUsage(fmt::format("{}: none is not recorded", word));
      SetLimit(limits, resource, value);
    } catch (const Error& e) {
      throw e.WithContext(fmt::format("{}: ${}", where, kRctlVariable));
    }
  }
  return limits;
}

std::vector<std::pair<std::string, std::uint64_t>> LimitList(const ResourceLimits& limits) {
  std::vector<std::pair<std::string, std::uint64_t>> out;
  ResourceLimits copy = limits;
  for (const std::string& r : LimitResources()) {
    if (std::optional<std::uint64_t>* f = Field(copy, r); f && *f) out.emplace_back(r, **f);
  }
  return out;
}

std::string FormatRctlVariable(const ResourceLimits& limits) {
  std::vector<std::string> words;
  for (const auto& [resource, amount] : LimitList(limits))
    words.push_back(fmt::format("{}={}", resource, amount));
  return Join(words, " ");
}

}  // namespace ljail
