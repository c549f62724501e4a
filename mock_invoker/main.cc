// mock_invoker: a mock OpenWhisk invoker. All logic lives in mock_invoker_lib.
#include <iostream>

#include "conformance/platform/interruption.h"
#include "conformance/report/verdict.h"
#include "mock_invoker/commands.h"

int main(int argc, char** argv) {
  // First, before any thread starts: every thread inherits the blocked
  // signals, so only the interruption thread receives them.
  conformance::Interruption& interruption = conformance::Interruption::instance();
  interruption.install();
  const int code = mock_invoker::run_cli(argc, argv, std::cout, std::cerr);
  return interruption.requested() ? conformance::kExitInterrupted : code;
}
