// The HTML report: one self-contained page.
#pragma once

#include <memory>
#include <string>

#include "conformance/report/reporter.h"

namespace conformance {

// One self-contained HTML page (inline style and script, nothing loaded):
// counts, scenarios grouped by contract section, filter by outcome,
// collapsible requirement, transcripts and logs.
std::string render_html(const RunReport& report);
// Writes render_html to `path` in on_finish.
std::unique_ptr<Reporter> make_html_reporter(std::string path);

}  // namespace conformance
