// Reporter: renders a run. The console reporter streams progress as scenarios
// finish; file reporters (JSON, JUnit) write once at the end. Selected by name
// in mock_invoker; each is small and unit-tested against a golden file.
#pragma once

#include <cstddef>
#include <string>

#include "conformance/report/run_report.h"

namespace conformance {

class Reporter {
 public:
  virtual ~Reporter() = default;
  virtual void on_start(const RunReport& header, std::size_t scenario_count) {
    (void)header;
    (void)scenario_count;
  }
  // When a scenario begins to run (not for skips), from the thread running it.
  virtual void on_scenario_started(const std::string& id) { (void)id; }
  // Called once per scenario, from the runner's thread, in completion order.
  // Scenarios the run never got to (not_run) are not reported here; they
  // are in the RunReport given to on_finish.
  virtual void on_scenario(const ScenarioResult& result) { (void)result; }
  virtual void on_finish(const RunReport& report) = 0;
};

}  // namespace conformance
