// Judging one executed step against its expectations (expectations.h):
// status, body, headers, logs and sentinels. Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "conformance/platform/http_transport.h"
#include "conformance/report/run_report.h"
#include "conformance/scenario/expectations.h"
#include "conformance/scenario/scenario.h"

namespace conformance {

// Judges one step. Never throws; every expectation yields one result.
std::vector<ExpectationResult> judge_step(const PreparedStep& step, const StepObservation& seen);

// Judging pieces (judge_step calls these; exposed for tests). The logs'
// judge is judge_logs.h.
void judge_response(const std::string& step, const std::string& label,
                    const ResponseExpectation& expect, const HttpResult& seen,
                    std::vector<ExpectationResult>* results);

// Shared by the judges: appends one judged expectation.
void add_result(std::vector<ExpectationResult>* results, const std::string& step, std::string what,
                bool passed, std::string expected, std::string actual);
// Regex search over at most the first 4 KiB of `text`: std::regex recurses per
// character, so a huge body or log line must not reach it. A pattern that
// fails at run time counts as no match (patterns are validated at load).
bool regex_search_bounded(const std::string& text, const std::string& pattern);

}  // namespace conformance
