// Latency statistics: see bench_stats.h.
#include "conformance/invoke/bench_stats.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace conformance {

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  // Nearest rank: the smallest value with at least p% of the sample at or below it.
  const double rank = std::ceil(p / 100.0 * static_cast<double>(sorted.size()));
  const std::size_t index = static_cast<std::size_t>(std::max(rank, 1.0)) - 1;
  return sorted[std::min(index, sorted.size() - 1)];
}

LatencySummary summarize(std::vector<double> sample_ms) {
  LatencySummary s;
  if (sample_ms.empty()) return s;
  std::sort(sample_ms.begin(), sample_ms.end());
  s.count = sample_ms.size();
  s.min_ms = sample_ms.front();
  s.max_ms = sample_ms.back();
  s.mean_ms = std::accumulate(sample_ms.begin(), sample_ms.end(), 0.0) /
              static_cast<double>(sample_ms.size());
  s.p50_ms = percentile(sample_ms, 50);
  s.p90_ms = percentile(sample_ms, 90);
  s.p99_ms = percentile(sample_ms, 99);
  return s;
}

nlohmann::json to_json(const LatencySummary& s) {
  return {{"count", s.count}, {"min", s.min_ms}, {"mean", s.mean_ms}, {"p50", s.p50_ms},
          {"p90", s.p90_ms},  {"p99", s.p99_ms}, {"max", s.max_ms}};
}

std::string format_latency(double ms) {
  char text[32];
  if (ms < 1.0) {
    std::snprintf(text, sizeof text, "%.0f us", ms * 1000.0);
  } else if (ms < 100.0) {
    std::snprintf(text, sizeof text, "%.2f ms", ms);
  } else {
    std::snprintf(text, sizeof text, "%.0f ms", ms);
  }
  return text;
}

}  // namespace conformance
