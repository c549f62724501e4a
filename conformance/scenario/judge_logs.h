// Judging a step's runtime logs: sentinels on both streams, required and
// forbidden lines, ordering, interleaving. Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "conformance/report/run_report.h"
#include "conformance/scenario/expectations.h"
#include "conformance/scenario/scenario.h"

namespace conformance {

// Appends one result per log expectation of `expect` to *results.
void judge_logs(const std::string& step, const LogExpectation& expect, const StepObservation& seen,
                std::vector<ExpectationResult>* results);

}  // namespace conformance
