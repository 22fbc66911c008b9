#include "core/resource_limits.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace ljail {
namespace {

TEST(ResourceLimits, AmountsAreRctlsWithItsSuffixes) {
  ResourceLimits l;
  EXPECT_EQ(SetLimit(l, "memoryuse", "512M"), "536870912");
  EXPECT_EQ(SetLimit(l, "memoryuse", "2g"), "2147483648");
  EXPECT_EQ(SetLimit(l, "memoryuse", "1048576"), "1048576");
  EXPECT_EQ(SetLimit(l, "maxproc", "200"), "200");
  EXPECT_EQ(SetLimit(l, "pcpu", "250"), "250");
  EXPECT_EQ(FormatRctlVariable(l), "memoryuse=1048576 maxproc=200 pcpu=250");
  EXPECT_EQ(SetLimit(l, "maxproc", "none"), "none");
  EXPECT_EQ(FormatRctlVariable(l), "memoryuse=1048576 pcpu=250");
}

TEST(ResourceLimits, WhatRctlOrTheJailCouldNotTakeIsAUsageError) {
  for (const auto& [resource, value] : std::vector<std::pair<std::string, std::string>>{
           {"memoryuse", "1000"},          // below a megabyte: the jail could not run
           {"memoryuse", "12Q"},           // no such suffix
           {"memoryuse", "17179869184T"},  // overflows 64 bits
           {"memoryuse", "5M5"},
           {"maxproc", "0"},
           {"maxproc", "10k"},  // suffixes are for bytes
           {"pcpu", "-5"},
           {"pcpu", ""},
           {"nthr", "5"}}) {  // an rctl resource ljail does not set
    ResourceLimits l;
    try {
      SetLimit(l, resource, value);
      ADD_FAILURE() << resource << "=" << value << " was taken";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ExitCode::kUsage) << resource << "=" << value;
    }
    EXPECT_TRUE(l.empty());
  }
}

TEST(ResourceLimits, TheVariableRoundTripsAndABrokenOneIsNamed) {
  ResourceLimits l = ParseRctlVariable("maxproc=7  memoryuse=2097152", "web.conf");
  EXPECT_EQ(l.maxproc, 7u);
  EXPECT_EQ(l.memoryuse, 2097152u);
  EXPECT_EQ(ParseRctlVariable(FormatRctlVariable(l), "web.conf"), l);
  EXPECT_TRUE(ParseRctlVariable("", "web.conf").empty());
  try {
    ParseRctlVariable("maxproc=7 pcpu=lots", "web.conf");
    ADD_FAILURE() << "taken";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("web.conf: $ljail_rctl"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace ljail
