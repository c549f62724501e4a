// The JSON report (docs/report.schema.json).
#pragma once

#include <memory>
#include <string>

#include "conformance/report/reporter.h"

namespace conformance {

// JSON report, schema_version 1 (docs/report.schema.json).
std::string render_json(const RunReport& report);
// Writes render_json to `path` in on_finish.
std::unique_ptr<Reporter> make_json_reporter(std::string path);

}  // namespace conformance
