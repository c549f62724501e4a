// The sensitivity matrix: for every fault of reference_runtime, the real
// mock_invoker runs the catalogue against `reference_runtime --fault NAME`
// and must exit 1 with the scenarios of fault_matrix.json among the
// failures. One ctest entry per fault (gtest_discover_tests), so ctest runs
// them in parallel. Plus: the unbroken runtime passes (exit 0), the table
// covers exactly the faults the runtime lists, and the CLI's fault options.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/faults/child_process.h"
#include "tests/support/temp_dir.h"

#ifndef FAULT_MATRIX_TABLE
#error "FAULT_MATRIX_TABLE must name fault_matrix.json"
#endif

namespace faults_test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::chrono::milliseconds kCheckDeadline{240000};

struct MatrixRow {
  std::string fault;
  std::vector<std::string> caught_by;
  std::vector<std::string> filter;  // empty: the whole catalogue
};

struct MatrixTable {
  std::string error;  // why it could not be loaded
  long step_timeout_ms = 3000;
  std::vector<MatrixRow> rows;
};

MatrixTable LoadTable() {
  MatrixTable table;
  const json doc = json::parse(ReadFile(FAULT_MATRIX_TABLE), nullptr, false);
  if (!doc.is_object() || !doc.contains("faults") || !doc["faults"].is_array()) {
    table.error = std::string("cannot read the table ") + FAULT_MATRIX_TABLE;
    return table;
  }
  table.step_timeout_ms = doc.value("step_timeout_ms", 3000L);
  for (const json& row : doc["faults"]) {
    MatrixRow parsed;
    parsed.fault = row.value("fault", "");
    for (const json& id : row.value("caught_by", json::array())) {
      if (id.is_string()) parsed.caught_by.push_back(id.get<std::string>());
    }
    for (const json& id : row.value("filter", json::array())) {
      if (id.is_string()) parsed.filter.push_back(id.get<std::string>());
    }
    table.rows.push_back(parsed);
  }
  return table;
}

const MatrixTable& Table() {
  static const MatrixTable table = LoadTable();
  return table;
}

using testing_support::TempDir;

// A word of a --launch template (split like a shell, no shell): quoted so a
// path with blanks stays one word.
std::string Quoted(const std::string& word) { return "'" + word + "'"; }

struct CheckRun {
  ChildResult child;
  json report;
  std::string output;  // mock_invoker's console output and stderr, for failure messages
};

CheckRun RunCheck(const std::string& dir, const std::string& fault,
                  const std::vector<std::string>& filter) {
  std::string launch =
      Quoted(REFERENCE_RUNTIME_BIN) + " --host 127.0.0.1 --port {port} --action-dir {dir}";
  if (!fault.empty()) launch += " --fault " + fault;
  std::vector<std::string> argv = {
      MOCK_INVOKER_BIN, "check", "--launch", launch, "--profile", "skeleton",
      // reference_runtime exports /init env; the real skeleton does not.
      "--capability", "init_env=true", "--json", dir + "/report.json", "--jobs", "2", "--strict",
      "--color", "never", "--timeout", std::to_string(Table().step_timeout_ms)};
  if (!filter.empty()) {
    std::string joined;
    for (const auto& id : filter) joined += (joined.empty() ? "" : ",") + id;
    argv.push_back("--filter");
    argv.push_back(joined);
  }
  CheckRun run;
  run.child = RunChild(argv, dir + "/out.txt", dir + "/err.txt", kCheckDeadline);
  run.report = json::parse(ReadFile(dir + "/report.json"), nullptr, false);
  run.output = ReadFile(dir + "/out.txt") + ReadFile(dir + "/err.txt");
  return run;
}

std::map<std::string, json> ScenariosById(const json& report) {
  std::map<std::string, json> out;
  if (!report.is_object() || !report.contains("scenarios")) return out;
  for (const json& s : report["scenarios"]) out[s.value("id", "")] = s;
  return out;
}

std::string OutcomesText(const std::map<std::string, json>& scenarios) {
  std::ostringstream out;
  for (const auto& [id, s] : scenarios) {
    out << "  " << id << ": " << s.value("outcome", "?");
    const std::string message = s.value("message", "");
    if (!message.empty()) out << " (" << message.substr(0, 200) << ")";
    out << "\n";
  }
  return out.str();
}

TEST(FaultMatrixTable, LoadsAndIsWellFormed) {
  ASSERT_TRUE(Table().error.empty()) << Table().error;
  std::set<std::string> faults;
  for (const MatrixRow& row : Table().rows) {
    EXPECT_FALSE(row.fault.empty());
    EXPECT_TRUE(faults.insert(row.fault).second) << "duplicate row " << row.fault;
    EXPECT_FALSE(row.caught_by.empty()) << row.fault << " names no catching scenario";
    // A filter must let every catching scenario run.
    if (row.filter.empty()) continue;
    for (const auto& id : row.caught_by) {
      EXPECT_NE(std::find(row.filter.begin(), row.filter.end(), id), row.filter.end())
          << row.fault << ": filter leaves out " << id;
    }
  }
}

TEST(FaultMatrixTable, CoversExactlyTheRuntimesFaults) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const ChildResult child =
      RunChild({REFERENCE_RUNTIME_BIN, "--list-faults"}, dir.path() + "/out.txt",
               dir.path() + "/err.txt", std::chrono::milliseconds(10000));
  ASSERT_TRUE(child.started) << child.error;
  ASSERT_EQ(child.exit_code, 0);
  std::set<std::string> listed;
  std::istringstream lines(ReadFile(dir.path() + "/out.txt"));
  for (std::string line; std::getline(lines, line);) {
    const std::string name = line.substr(0, line.find(' '));
    if (!name.empty()) listed.insert(name);
  }
  std::set<std::string> tabled;
  for (const MatrixRow& row : Table().rows) tabled.insert(row.fault);
  EXPECT_GE(listed.size(), 33u);
  EXPECT_EQ(listed, tabled) << "every fault needs a row in fault_matrix.json, and only those";
}

TEST(FaultCli, UnknownFaultIsAUsageErrorWithASuggestion) {
  TempDir dir;
  const ChildResult child =
      RunChild({REFERENCE_RUNTIME_BIN, "--port", "0", "--action-dir", dir.path() + "/a", "--fault",
                "chunked-response"},
               dir.path() + "/out.txt", dir.path() + "/err.txt", std::chrono::milliseconds(10000));
  ASSERT_TRUE(child.started) << child.error;
  EXPECT_FALSE(child.timed_out);
  EXPECT_EQ(child.exit_code, 2);
  EXPECT_NE(ReadFile(dir.path() + "/err.txt").find("did you mean 'chunked-responses'?"),
            std::string::npos)
      << ReadFile(dir.path() + "/err.txt");
}

TEST(FaultMatrixClean, TheUnbrokenRuntimePassesEveryScenario) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const CheckRun run = RunCheck(dir.path(), "", {});
  ASSERT_TRUE(run.child.started) << run.child.error;
  ASSERT_FALSE(run.child.timed_out) << run.output;
  const auto scenarios = ScenariosById(run.report);
  EXPECT_EQ(run.child.exit_code, 0) << OutcomesText(scenarios) << run.output;
  EXPECT_GE(scenarios.size(), 30u);
  for (const auto& [id, s] : scenarios) {
    const std::string outcome = s.value("outcome", "");
    EXPECT_TRUE(outcome == "pass" || outcome == "skip") << id << ": " << outcome;
  }
}

// gtest prints the parameter in its listing and messages: the fault's name.
void PrintTo(const MatrixRow& row, std::ostream* out) { *out << row.fault; }

class FaultMatrix : public ::testing::TestWithParam<MatrixRow> {};

TEST_P(FaultMatrix, CaughtByItsScenarios) {
  const MatrixRow& row = GetParam();
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const CheckRun run = RunCheck(dir.path(), row.fault, row.filter);
  ASSERT_TRUE(run.child.started) << run.child.error;
  ASSERT_FALSE(run.child.timed_out) << "mock_invoker check did not finish in time";
  ASSERT_TRUE(run.report.is_object()) << "no JSON report; output:\n" << run.output;
  const auto scenarios = ScenariosById(run.report);
  EXPECT_EQ(run.child.exit_code, 1) << OutcomesText(scenarios);
  for (const std::string& id : row.caught_by) {
    const auto found = scenarios.find(id);
    ASSERT_NE(found, scenarios.end()) << id << " did not run;\n" << OutcomesText(scenarios);
    const std::string outcome = found->second.value("outcome", "");
    EXPECT_TRUE(outcome == "fail" || outcome == "warn" || outcome == "error")
        << "fault " << row.fault << " not caught by " << id << " (" << outcome << ");\n"
        << OutcomesText(scenarios);
  }
}

std::string RowName(const ::testing::TestParamInfo<MatrixRow>& info) {
  std::string name = info.param.fault;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name.empty() ? "row" + std::to_string(info.index) : name;
}

GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(FaultMatrix);
INSTANTIATE_TEST_SUITE_P(Faults, FaultMatrix, ::testing::ValuesIn(Table().rows), RowName);

}  // namespace
}  // namespace faults_test
