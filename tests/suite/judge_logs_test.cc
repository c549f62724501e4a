// Log expectations and the concurrency judge pass on matching observations
// and fail on crafted ones (sentinel counts, order, interleaving).
#include "conformance/scenario/judge_logs.h"

#include <gtest/gtest.h>

#include "conformance/scenario/judge_step.h"
#include "tests/suite/judge_test_support.h"

namespace conformance {
namespace {

using nlohmann::json;
using suite_test::failed;
using suite_test::failures;
using suite_test::LogBuilder;
using suite_test::make_step;
using suite_test::observed;
using suite_test::response;

std::vector<ExpectationResult> judge_logs_of(const json& logs, const LogBuilder& lines) {
  return judge_step(make_step({{"logs", logs}}), observed({response(200, "{}")}, lines.lines()));
}

TEST(JudgeLogs, ContainsAndAbsentPerStream) {
  const json logs = {{"stdout", {{"contains", {"hello stdout"}}, {"absent", {"hello stderr"}}}},
                     {"stderr", {{"contains", {"hello stderr"}}, {"absent", {"hello stdout"}}}}};
  LogBuilder right;
  right.out("hello stdout").err("hello stderr").sentinels();
  EXPECT_TRUE(failures(judge_logs_of(logs, right)).empty());
  LogBuilder swapped;
  swapped.err("hello stdout").out("hello stderr").sentinels();
  auto results = judge_logs_of(logs, swapped);
  EXPECT_TRUE(failed(results, "stdout has line"));
  EXPECT_TRUE(failed(results, "stdout lacks line"));
  EXPECT_TRUE(failed(results, "stderr has line"));
}

TEST(JudgeLogs, RegexContainsAndAbsent) {
  const json logs = {
      {"stdout", {{"contains_regex", {"^count [0-9]+$"}}, {"absent_regex", {"secret"}}}}};
  LogBuilder good;
  good.out("count 12").sentinels();
  EXPECT_TRUE(failures(judge_logs_of(logs, good)).empty());
  LogBuilder bad;
  bad.out("count twelve").out("the secret is out").sentinels();
  auto results = judge_logs_of(logs, bad);
  EXPECT_TRUE(failed(results, "has line matching"));
  EXPECT_TRUE(failed(results, "lacks line matching"));
}

TEST(JudgeLogs, EmptyIgnoresSentinels) {
  const json logs = {{"stderr", {{"empty", true}}}};
  LogBuilder quiet;
  quiet.out("only stdout").sentinels();
  EXPECT_TRUE(failures(judge_logs_of(logs, quiet)).empty());
  LogBuilder noisy;
  noisy.err("oops").sentinels();
  EXPECT_TRUE(failed(judge_logs_of(logs, noisy), "stderr empty"));
}

TEST(JudgeLogs, ExactSentinelCounts) {
  const json one = {{"stdout", {{"sentinels", 1}}}, {"stderr", {{"sentinels", 1}}}};
  LogBuilder once;
  once.out("x").sentinels();
  EXPECT_TRUE(failures(judge_logs_of(one, once)).empty());
  LogBuilder twice;
  twice.sentinels().sentinels();
  EXPECT_TRUE(failed(judge_logs_of(one, twice), "stdout sentinels"));
  LogBuilder none;
  none.out("x");
  EXPECT_TRUE(failed(judge_logs_of(one, none), "stderr sentinels"));
  const json zero = {{"stdout", {{"sentinels", 0}}}};
  EXPECT_TRUE(failures(judge_logs_of(zero, none)).empty());
  EXPECT_TRUE(failed(judge_logs_of(zero, once), "stdout sentinels"));
}

TEST(JudgeLogs, LinesBeforeTheSentinel) {
  const json logs = {{"stdout", {{"before_sentinel", true}}}};
  LogBuilder good;
  good.out("a").out("b").sentinels();
  EXPECT_TRUE(failures(judge_logs_of(logs, good)).empty());
  LogBuilder late;
  late.out("a").sentinels().out("b");
  EXPECT_TRUE(failed(judge_logs_of(logs, late), "before the sentinel"));
  LogBuilder missing;
  missing.out("a");
  EXPECT_TRUE(failed(judge_logs_of(logs, missing), "before the sentinel"));
}

TEST(JudgeLogs, LinesInOrder) {
  const json logs = {{"stdout", {{"in_order", {"one", "two", "three"}}}}};
  LogBuilder good;
  good.out("one").err("noise").out("two").out("extra").out("three").sentinels();
  EXPECT_TRUE(failures(judge_logs_of(logs, good)).empty());
  LogBuilder swapped;
  swapped.out("two").out("one").out("three").sentinels();
  EXPECT_TRUE(failed(judge_logs_of(logs, swapped), "in order"));
  LogBuilder wrong_stream;
  wrong_stream.out("one").err("two").out("three").sentinels();
  EXPECT_TRUE(failed(judge_logs_of(logs, wrong_stream), "in order"));
}

TEST(JudgeLogs, UnavailableLogsFail) {
  PreparedStep step = make_step({{"logs", {{"stdout", {{"sentinels", 1}}}}}});
  StepObservation seen = observed({response(200, "{}")});
  seen.logs_available = false;
  EXPECT_TRUE(failed(judge_step(step, seen), "logs"));
}

// Concurrency: 3 overlapping requests echoing {"i": n}.
PreparedStep concurrent_step(const std::string& overlap) {
  PreparedStep step =
      make_step({{"status", 200},
                 {"concurrency", {{"overlap", overlap}, {"log_marker", "^slow (start|end) {i}$"}}}},
                StepKind::kConcurrentRuns, 3);
  // Each request's own result: what a prepared step gets from {"$sent": "value"}.
  auto expect = std::make_shared<Expectations>(*step.expect);
  for (std::size_t i = 0; i < 3; ++i) expect->responses[i].body.equals = json{{"i", i}};
  step.expect = expect;
  return step;
}

LogBuilder contiguous_logs(std::initializer_list<int> order) {
  LogBuilder logs;
  for (int i : order) {
    const std::string n = std::to_string(i);
    logs.out("slow start " + n).err("slow start " + n).out("slow end " + n).err("slow end " + n);
    logs.sentinels();
  }
  return logs;
}

TEST(JudgeConcurrency, ParallelWithOwnResultsAndContiguousLogs) {
  auto results = judge_step(concurrent_step("parallel"),
                            observed({response(200, R"({"i":0})"), response(200, R"({"i":1})"),
                                      response(200, R"({"i":2})")},
                                     contiguous_logs({2, 0, 1}).lines()));
  EXPECT_TRUE(failures(results).empty()) << ::testing::PrintToString(failures(results));
}

TEST(JudgeConcurrency, MixedResultsFail) {
  auto results = judge_step(concurrent_step("either"),
                            observed({response(200, R"({"i":1})"), response(200, R"({"i":1})"),
                                      response(200, R"({"i":2})")},
                                     contiguous_logs({0, 1, 2}).lines()));
  EXPECT_TRUE(failed(results, "request 0 body equals"));
}

TEST(JudgeConcurrency, InterleavedLogsFail) {
  LogBuilder logs;
  logs.out("slow start 0").out("slow start 1").out("slow end 0").out("slow end 1");
  logs.err("slow start 0").err("slow end 0").err("slow start 1").err("slow end 1");
  logs.sentinels().sentinels();
  PreparedStep step = concurrent_step("parallel");
  step.bodies.resize(2);
  auto expect = std::make_shared<Expectations>(*step.expect);
  expect->responses.resize(2);
  step.expect = expect;
  auto results = judge_step(
      step, observed({response(200, R"({"i":0})"), response(200, R"({"i":1})")}, logs.lines()));
  EXPECT_TRUE(failed(results, "stdout logs of request 0"));
  EXPECT_TRUE(failed(results, "stderr logs of request 0"));  // no sentinel right after its lines
}

TEST(JudgeLogs, MentionsAllowsAPrefix) {
  LogBuilder logs;
  logs.err("2026/12/01 22:29:29 Cannot initialize the action more than once.");
  const json expect = {
      {"stderr", {{"mentions", {"Cannot initialize the action more than once."}}}}};
  EXPECT_TRUE(failures(judge_logs_of(expect, logs)).empty());
  const json other = {{"stderr", {{"mentions", {"Another text."}}}}};
  EXPECT_TRUE(failed(judge_logs_of(other, logs), "stderr has line mentioning"));
}

// A runtime's own diagnostic while it refuses an overlap (Node.js writes
// "Internal system error: System not ready, status is running.") is no
// activation's line: it does not break request 0's lines apart.
TEST(JudgeConcurrency, RuntimeDiagnosticsAreNotAnotherActivationsLines) {
  LogBuilder logs;
  logs.out("slow start 0").err("slow start 0");
  logs.err("Internal system error: System not ready, status is running.");
  logs.out("slow end 0").err("slow end 0").sentinels();
  const auto refused = response(403, R"({"error":"System not ready, status is running."})");
  auto results =
      judge_step(concurrent_step("refuse"),
                 observed({response(200, R"({"i":0})"), refused, refused}, logs.lines()));
  EXPECT_TRUE(failures(results).empty()) << ::testing::PrintToString(failures(results));
}

TEST(JudgeConcurrency, InterleavingFailureNamesTheForeignLines) {
  LogBuilder logs;
  logs.out("slow start 0").out("slow start 1").out("slow end 0").sentinels();
  logs.out("slow end 1").sentinels();
  PreparedStep step = concurrent_step("parallel");
  step.bodies.resize(2);
  auto expect = std::make_shared<Expectations>(*step.expect);
  expect->responses.resize(2);
  expect->concurrency.log_marker = "^slow (start|end) {i}$";
  step.expect = expect;
  auto results = judge_step(
      step, observed({response(200, R"({"i":0})"), response(200, R"({"i":1})")}, logs.lines()));
  std::string actual;
  for (const auto& r : results)
    if (!r.passed && r.what.find("stdout logs of request 0") != std::string::npos)
      actual = r.actual;
  EXPECT_NE(actual.find("'slow start 1'"), std::string::npos) << actual;
}

TEST(JudgeConcurrency, CleanRefusalAcceptedUnlessParallel) {
  const auto refused = response(409, R"({"error":"busy"})");
  auto either = judge_step(
      concurrent_step("either"),
      observed({response(200, R"({"i":0})"), refused, refused}, contiguous_logs({0}).lines()));
  EXPECT_TRUE(failures(either).empty()) << ::testing::PrintToString(failures(either));
  auto parallel = judge_step(
      concurrent_step("parallel"),
      observed({response(200, R"({"i":0})"), refused, refused}, contiguous_logs({0}).lines()));
  EXPECT_TRUE(failed(parallel, "request 1 status"));
}

TEST(JudgeConcurrency, DirtyRefusalsAndNoAcceptedRunFail) {
  auto dirty = judge_step(concurrent_step("either"), observed({response(200, R"({"i":0})"),
                                                               response(409, "busy", "text/plain"),
                                                               response(503, R"({"error":"x"})")},
                                                              contiguous_logs({0}).lines()));
  EXPECT_TRUE(failed(dirty, "request 1 accepted or refused cleanly"));
  EXPECT_TRUE(failed(dirty, "request 2 not 503"));
  const auto refused = response(403, R"({"error":"busy"})");
  auto none = judge_step(concurrent_step("refuse"), observed({refused, refused, refused}));
  EXPECT_TRUE(failed(none, "at least one overlapping run accepted"));
  auto all = judge_step(concurrent_step("refuse"),
                        observed({response(200, R"({"i":0})"), response(200, R"({"i":1})"),
                                  response(200, R"({"i":2})")},
                                 contiguous_logs({0, 1, 2}).lines()));
  EXPECT_TRUE(failed(all, "overlap refused"));
}

}  // namespace
}  // namespace conformance
