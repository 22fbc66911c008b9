// A resolver the test runs itself on a loopback address (tests/support/
// test-dns), for the tests that run `ljail doctor`: the jail's resolv.conf
// points at it, never at this machine's resolver (the network rule,
// docs/testing.md). Started by the constructor, which returns once it
// listens; killed by the destructor.
#pragma once

#include <sys/types.h>

#include <string>

namespace ljail::testing {

class TestResolver {
 public:
  /// What each transport does with a query: "answer" (A 127.0.0.1, AAAA
  /// ::1), "refuse" (no socket: the kernel refuses) or "silent".
  TestResolver(std::string address, const std::string& udp = "answer",
               const std::string& tcp = "answer");
  ~TestResolver();
  TestResolver(const TestResolver&) = delete;
  TestResolver& operator=(const TestResolver&) = delete;

  const std::string& address() const { return address_; }

 private:
  std::string address_;
  pid_t pid_ = -1;
};

}  // namespace ljail::testing
