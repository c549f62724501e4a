// The header every JSON report begins with, `mock_invoker check --json` and
// `bench --json` alike (docs/report.schema.json): schema_version, kind,
// tool_version, target (secrets redacted), started_at, duration_ms.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace conformance {

inline constexpr int kReportSchemaVersion = 1;

struct JsonReportHeader {
  std::string kind;  // "check" or "bench"
  std::string tool_version;
  std::string target;      // RuntimeTarget::describe()
  std::string started_at;  // utc_timestamp_now() when the run began
  double duration_ms = 0;
};

nlohmann::ordered_json json_report_header(const JsonReportHeader& header);

// Durations to the microsecond: enough, and stable digits in the report.
double rounded_ms(double ms);

}  // namespace conformance
