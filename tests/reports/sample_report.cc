#include "tests/reports/sample_report.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace conformance_test {

using conformance::ExpectationResult;
using conformance::Level;
using conformance::Outcome;
using conformance::RunReport;
using conformance::ScenarioResult;
using conformance::StepRecord;

namespace {

ScenarioResult scenario(std::string id, std::string title, std::string section,
                        std::string requirement, Level level, Outcome outcome, double ms) {
  ScenarioResult r;
  r.id = std::move(id);
  r.title = std::move(title);
  r.section = std::move(section);
  r.requirement = std::move(requirement);
  r.level = level;
  r.outcome = outcome;
  r.duration_ms = ms;
  return r;
}

StepRecord run_step(const std::string& name, const std::string& response, double ms) {
  return StepRecord{name,
                    "POST /run\n{\"value\":{\"name\":\"Jane\"},\"api_key\":\"" +
                        std::string(kSampleSecret) + "\",\"namespace\":\"guest\"}",
                    response, ms};
}

}  // namespace

RunReport sample_report() {
  RunReport report;
  report.tool_version = "0.1.0-test";
  report.target = "command: reference_runtime --port {port}";
  report.profile = "skeleton";
  report.capabilities = {{"stub", "false"}, {"archive", "zip"}};
  report.catalogue_version = "fnv1a64:0123456789abcdef";
  report.catalogue_scenarios = 41;
  report.strict = false;
  report.started_at = "2026-01-02T03:04:05Z";
  report.duration_ms = 1234.5;

  ScenarioResult pass =
      scenario("init.text-code", "Init with an executable text action", "C2.2",
               "Text code becomes the action's executable.", Level::kMust, Outcome::kPass, 12.25);
  pass.expectations.push_back({"init", "status", true, "200", "200"});
  pass.steps.push_back({"init", "POST /init\n{\"value\":{\"code\":\"#!/bin/sh\"}}",
                        "HTTP/1.1 200 OK\nContent-Length: 2\n\nOK", 3.5});
  report.scenarios.push_back(pass);

  ScenarioResult fail = scenario("init.second-refused", "A second init is refused", "C2.6",
                                 "A second /init after a successful one answers 403.", Level::kMust,
                                 Outcome::kFail, 20);
  fail.message = "init#2 status: expected 403, got 200";
  fail.expectations.push_back({"init#1", "status", true, "200", "200"});
  fail.expectations.push_back({"init#2", "status", false, "403", "200"});
  fail.expectations.push_back({"init#2", "body /error", false,
                               "\"Cannot initialize the action more than once.\"", "(no body)"});
  fail.steps.push_back(
      run_step("run#1", "HTTP/1.1 200 OK\nContent-Length: 15\n\n{\"name\":\"Jane\"}", 4.25));
  fail.runtime_logs = "stdout: __OW_API_KEY=" + std::string(kSampleSecret) +
                      "\nstderr: XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX\n";
  report.scenarios.push_back(fail);

  ScenarioResult warn = scenario("run.scalar-argument", "A scalar argument is refused", "C3.2",
                                 "A value that is not an object or array gets 404.", Level::kShould,
                                 Outcome::kWarn, 7.75);
  warn.message = "status: expected 404, got 200";
  warn.expectations.push_back({"run", "status", false, "404", "200"});
  report.scenarios.push_back(warn);

  ScenarioResult skip =
      scenario("init.stub", "The stub answers before init", "C2.7",
               "An executable stub is in place before /init.", Level::kShould, Outcome::kSkip, 0);
  skip.message = "profile lacks capability 'stub'";
  report.scenarios.push_back(skip);

  ScenarioResult error = scenario("run.sentinels", "Sentinels after each run", "C3.7",
                                  "Each /run is followed by one sentinel per stream.", Level::kMust,
                                  Outcome::kError, 5000);
  error.message = "runtime exited unexpectedly (exit code 1) before answering /run";
  error.runtime_logs = "panic: cannot bind 0.0.0.0:8080\n";
  report.scenarios.push_back(error);

  ScenarioResult expected = scenario("run.concurrent-isolated", "Overlapping runs stay separate",
                                     "C3.9", "Overlapping /runs keep results and logs apart.",
                                     Level::kMust, Outcome::kFail, 40.5);
  expected.message = "run#2 result: mixed with run#1";
  expected.expected_failure = true;
  expected.expectations.push_back({"run#2", "body", false, "{\"n\":2}", "{\"n\":1}"});
  report.scenarios.push_back(expected);
  return report;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

void expect_matches_golden(const std::string& name, const std::string& actual) {
  const std::string path = std::string(REPORT_GOLDENS_DIR) + "/" + name;
  const char* update = std::getenv("UPDATE_GOLDENS");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << actual;
    ASSERT_TRUE(out.good()) << "cannot rewrite golden " << path;
    std::cerr << "rewrote golden " << path << "\n";
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(path))
      << "missing golden " << path << " (run with UPDATE_GOLDENS=1 to create it)";
  EXPECT_EQ(read_file(path), actual)
      << "output differs from golden " << path
      << " (if the change is intended, rerun with UPDATE_GOLDENS=1 and review the diff)";
}

std::string make_temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "reports_test_XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) return "";
  return pattern;
}

}  // namespace conformance_test
