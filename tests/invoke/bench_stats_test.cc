// Nearest-rank percentiles and the latency summary of `bench`.
#include "conformance/invoke/bench_stats.h"

#include <gtest/gtest.h>

namespace {

TEST(BenchStats, NearestRankPercentiles) {
  std::vector<double> sample;
  for (int i = 100; i >= 1; --i) sample.push_back(i);  // unsorted on purpose
  auto s = conformance::summarize(sample);
  EXPECT_EQ(s.count, 100u);
  EXPECT_DOUBLE_EQ(s.min_ms, 1);
  EXPECT_DOUBLE_EQ(s.p50_ms, 50);
  EXPECT_DOUBLE_EQ(s.p90_ms, 90);
  EXPECT_DOUBLE_EQ(s.p99_ms, 99);
  EXPECT_DOUBLE_EQ(s.max_ms, 100);
  EXPECT_DOUBLE_EQ(s.mean_ms, 50.5);
}

TEST(BenchStats, SmallAndEmptySamples) {
  auto one = conformance::summarize({7.5});
  EXPECT_DOUBLE_EQ(one.p50_ms, 7.5);
  EXPECT_DOUBLE_EQ(one.p99_ms, 7.5);
  auto three = conformance::summarize({3, 1, 2});
  EXPECT_DOUBLE_EQ(three.p50_ms, 2);
  EXPECT_DOUBLE_EQ(three.p90_ms, 3);
  auto none = conformance::summarize({});
  EXPECT_EQ(none.count, 0u);
  EXPECT_DOUBLE_EQ(none.max_ms, 0);
  EXPECT_DOUBLE_EQ(conformance::percentile({}, 50), 0);
}

TEST(BenchStats, JsonAndText) {
  auto j = conformance::to_json(conformance::summarize({1, 2, 3, 4}));
  for (const char* k : {"count", "min", "mean", "p50", "p90", "p99", "max"})
    EXPECT_TRUE(j.contains(k)) << k;
  EXPECT_EQ(j["count"], 4);
  EXPECT_EQ(conformance::format_latency(0.25), "250 us");
  EXPECT_EQ(conformance::format_latency(12.345), "12.35 ms");
  EXPECT_EQ(conformance::format_latency(1234), "1234 ms");
}

}  // namespace
