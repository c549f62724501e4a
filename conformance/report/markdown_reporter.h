// The Markdown summary.
#pragma once

#include <memory>
#include <string>

#include "conformance/report/reporter.h"

namespace conformance {

// A Markdown summary for $GITHUB_STEP_SUMMARY: verdict, counts, what did not pass.
std::string render_markdown(const RunReport& report);
// Writes render_markdown to `path` in on_finish.
std::unique_ptr<Reporter> make_markdown_reporter(std::string path);

}  // namespace conformance
