// The JUnit XML report.
#pragma once

#include <memory>
#include <string>

#include "conformance/report/reporter.h"

namespace conformance {

// JUnit XML valid against Jenkins' junit-10.xsd: one <testcase> per scenario
// (classname = section's group), fail -> <failure>, error -> <error>,
// skip, warning and expected failure -> <skipped type=...>.
std::string render_junit(const RunReport& report);
// Writes render_junit to `path` in on_finish.
std::unique_ptr<Reporter> make_junit_reporter(std::string path);

}  // namespace conformance
