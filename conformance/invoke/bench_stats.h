// Latency statistics for `mock_invoker bench`: nearest-rank percentiles
// (p50, p90, p99), min, mean and max of a sample, in milliseconds. Pure
// functions; thread-safe; an empty sample gives count 0 and zeros.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace conformance {

struct LatencySummary {
  std::size_t count = 0;
  double min_ms = 0, mean_ms = 0, p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
};

// Nearest-rank percentile (0 < p <= 100) of an ascending sample; 0 if empty.
double percentile(const std::vector<double>& sorted, double p);

// Sorts its own copy of the sample.
LatencySummary summarize(std::vector<double> sample_ms);

// {"count", "min", "mean", "p50", "p90", "p99", "max"} (milliseconds).
nlohmann::json to_json(const LatencySummary& summary);

// "12.3 ms" / "850 us": a latency for people.
std::string format_latency(double ms);

}  // namespace conformance
