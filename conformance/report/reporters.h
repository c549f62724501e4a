// The reporters, selected by name: console (always), json and junit (files).
// render_* functions are pure so tests compare them with golden files.
#pragma once

#include <memory>
#include <ostream>
#include <string>

#include "conformance/report/reporter.h"

namespace conformance {

struct ConsoleOptions {
  bool color = false;    // ANSI colours (mock_invoker enables them on a TTY)
  bool verbose = false;  // details for passing scenarios too
};

// Live progress (one line per scenario as it finishes), failure details
// (requirement, expected vs actual, request, response, runtime logs with
// api_key redacted) and the closing line
// "N passed, N failed, N skipped" followed by warns and errors.
// Closing-line counts: passed = pass; failed = fail + error (+ warn under
// strict), expected failures included (the next line says how many were
// expected, and the verdict ignores them); skipped = skip. The next line:
// "N warned, N errored, N expected to fail; verdict: CONFORMANT|NOT CONFORMANT[ (runtime
// never became ready)] (N scenarios in S s)".
std::unique_ptr<Reporter> make_console_reporter(std::ostream& out, ConsoleOptions options);

// JSON report with "schema_version"; per scenario: id, title, section, level,
// outcome, message, duration_ms, expectations.
std::string render_json(const RunReport& report);
// JUnit XML: one <testcase> per scenario (classname = section's group),
// fail -> <failure>, error -> <error>, skip -> <skipped>; warns pass with
// <system-out>. Accepted by Jenkins, GitLab and GitHub reporters.
std::string render_junit(const RunReport& report);

// Reporters that write render_json / render_junit to `path` in on_finish.
std::unique_ptr<Reporter> make_json_reporter(std::string path);
std::unique_ptr<Reporter> make_junit_reporter(std::string path);

// Replaces secrets (the value of "api_key" / __OW_API_KEY) in text shown to people.
std::string redact_secrets(const std::string& text);

}  // namespace conformance
