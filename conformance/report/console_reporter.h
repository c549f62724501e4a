// The console reporter: what `mock_invoker check` prints as the run goes.
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

}  // namespace conformance
