// A fixed RunReport for the reporter tests: one scenario of each outcome,
// an expected failure, secrets in requests and logs, fixed durations and
// timestamps so golden files are stable.
#pragma once

#include <string>

#include "conformance/report/run_report.h"

namespace conformance_test {

// The secret put in the sample's requests and logs; no report may show it.
inline constexpr char kSampleSecret[] = "23bc46b1-71f6-4ed5-8c54-816aa4f8c502:s3cr3t";

conformance::RunReport sample_report();

// Reads a whole file; "" when it cannot be read.
std::string read_file(const std::string& path);

// Compares `actual` with fixtures/report_goldens/<name>; with UPDATE_GOLDENS=1
// in the environment, rewrites the golden instead (and the test passes).
void expect_matches_golden(const std::string& name, const std::string& actual);

// A fresh directory under the system temp dir, unique per call.
std::string make_temp_dir();

}  // namespace conformance_test
