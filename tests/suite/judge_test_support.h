// Builders for judge tests: prepared steps from `expect` JSON, crafted
// responses and log lines.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "conformance/scenario/expectations.h"
#include "conformance/scenario/scenario.h"

namespace suite_test {

using conformance::ExpectationResult;
using conformance::HttpResult;
using conformance::LogLine;
using conformance::Stream;

inline conformance::PreparedStep make_step(const nlohmann::json& expect,
                                           conformance::StepKind kind = conformance::StepKind::kRun,
                                           std::size_t requests = 1) {
  conformance::PreparedStep step;
  step.name = kind == conformance::StepKind::kConcurrentRuns ? "concurrent" : "run";
  step.kind = kind;
  step.bodies.assign(requests, "{}");
  auto parsed = std::make_shared<conformance::Expectations>();
  for (std::size_t i = 0; i < requests; ++i) {
    conformance::ResponseExpectation response;
    ow::Status status = conformance::parse_response_expectation(expect, &response);
    EXPECT_TRUE(status.ok()) << status.message();
    parsed->responses.push_back(response);
  }
  if (expect.contains("logs")) {
    ow::Status status = conformance::parse_log_expectation(expect["logs"], &parsed->logs);
    EXPECT_TRUE(status.ok()) << status.message();
  }
  if (expect.contains("concurrency")) {
    ow::Status status =
        conformance::parse_concurrency_expectation(expect["concurrency"], &parsed->concurrency);
    EXPECT_TRUE(status.ok()) << status.message();
  }
  step.expect = parsed;
  return step;
}

inline HttpResult response(int status, const std::string& body,
                           const std::string& content_type = "application/json") {
  HttpResult r;
  r.response.status = status;
  r.response.body = body;
  r.response.content_length = body.size();
  if (!content_type.empty()) r.response.headers.emplace_back("content-type", content_type);
  return r;
}

class LogBuilder {
 public:
  LogBuilder& out(const std::string& text) { return add(Stream::kStdout, text, false); }
  LogBuilder& err(const std::string& text) { return add(Stream::kStderr, text, false); }
  LogBuilder& sentinels() {
    add(Stream::kStdout, "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX", true);
    return add(Stream::kStderr, "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX", true);
  }
  LogBuilder& add(Stream s, const std::string& text, bool sentinel) {
    lines_.push_back(LogLine{s, ++seq_, text, sentinel});
    return *this;
  }
  std::vector<LogLine> lines() const { return lines_; }

 private:
  std::vector<LogLine> lines_;
  std::uint64_t seq_ = 0;
};

inline conformance::StepObservation observed(std::vector<HttpResult> results,
                                             std::vector<LogLine> lines = {}) {
  conformance::StepObservation seen;
  seen.results = std::move(results);
  seen.logs_available = true;
  seen.log_lines = std::move(lines);
  return seen;
}

// The failed results, as "what: expected / actual" lines (for messages).
inline std::vector<std::string> failures(const std::vector<ExpectationResult>& results) {
  std::vector<std::string> out;
  for (const ExpectationResult& r : results) {
    if (!r.passed) out.push_back(r.what + ": expected " + r.expected + ", got " + r.actual);
  }
  return out;
}

inline bool failed(const std::vector<ExpectationResult>& results, const std::string& what_part) {
  for (const ExpectationResult& r : results) {
    if (!r.passed && r.what.find(what_part) != std::string::npos) return true;
  }
  return false;
}

}  // namespace suite_test
