// The reporters, selected by name: console (always); json, junit, html and
// markdown (files). render_* functions are pure so tests compare them with
// golden files. Every report counts the same way (run_summary.h).
#pragma once

#include <memory>
#include <ostream>
#include <string>

#include "conformance/report/reporter.h"

namespace conformance {

struct ConsoleOptions {
  bool color = false;     // ANSI colours (mock_invoker: on a TTY unless NO_COLOR)
  bool verbose = false;   // details for passing scenarios too
  bool progress = false;  // the status line (mock_invoker: on a TTY)
};

// Live progress (one line per scenario as it finishes; on a TTY also a status
// line "12/41 init.second-refused 4.1 s"), failure details (requirement,
// expected vs actual, request, response, runtime logs with api_key redacted),
// a recap of what did not pass, and the closing lines
// "N passed, N failed, N errored, N skipped" and
// "N warned, N expected to fail; verdict: CONFORMANT|NOT CONFORMANT[ (runtime
// never became ready)] (N scenarios in S s)", counted as run_summary.h says.
// A runtime that never became ready is described once; later scenarios that
// hit the same wall get one line each.
std::unique_ptr<Reporter> make_console_reporter(std::ostream& out, ConsoleOptions options);

// JSON report, schema_version 1 (docs/report.schema.json).
std::string render_json(const RunReport& report);
// JUnit XML valid against Jenkins' junit-10.xsd: one <testcase> per scenario
// (classname = section's group), fail -> <failure>, error -> <error>,
// skip, warning and expected failure -> <skipped type=...>.
std::string render_junit(const RunReport& report);
// One self-contained HTML page (inline style and script, nothing loaded):
// counts, scenarios grouped by contract section, filter by outcome,
// collapsible requirement, transcripts and logs.
std::string render_html(const RunReport& report);
// A Markdown summary for $GITHUB_STEP_SUMMARY: verdict, counts, what did not pass.
std::string render_markdown(const RunReport& report);

// Reporters that write render_json / render_junit / render_html /
// render_markdown to `path` in on_finish.
std::unique_ptr<Reporter> make_json_reporter(std::string path);
std::unique_ptr<Reporter> make_junit_reporter(std::string path);
std::unique_ptr<Reporter> make_html_reporter(std::string path);
std::unique_ptr<Reporter> make_markdown_reporter(std::string path);

// Replaces secrets (the value of "api_key" / __OW_API_KEY) in text shown to people.
std::string redact_secrets(const std::string& text);

}  // namespace conformance
