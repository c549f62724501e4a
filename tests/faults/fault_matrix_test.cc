// The sensitivity matrix: for every fault of reference_runtime, the real
// mock_invoker runs the catalogue against `reference_runtime --fault NAME`
// and must exit 1 with the scenarios of fault_matrix.json among the
// failures. One ctest entry per fault (gtest_discover_tests), so ctest runs
// them in parallel. Plus: the unbroken runtime passes (exit 0), the table
// covers exactly the faults the runtime lists, and the CLI's fault options.
// The same for `reference_runtime --actionloop` under the actionloop
// profile (the table's "actionloop" part; rows named actionloop_<fault>).
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
  std::vector<std::string> args;    // more reference_runtime options (actionloop rows)
  bool actionloop = false;
};

// How a check run starts the runtime and judges it.
struct CheckMode {
  std::string profile = "skeleton";
  std::vector<std::string> runtime_args;  // before --fault
  std::vector<std::string> capabilities;  // --capability K=V
  long step_timeout_ms = 3000;
};

struct MatrixTable {
  std::string error;  // why it could not be loaded
  long step_timeout_ms = 3000;
  std::vector<MatrixRow> rows;
  std::map<std::string, std::string> normal_not_applicable;  // fault -> reason
  CheckMode actionloop_mode;
  std::vector<MatrixRow> actionloop_rows;
  std::map<std::string, std::string> known_warnings;  // actionloop: scenario -> reason
  std::map<std::string, std::string> not_applicable;  // actionloop: fault -> reason
};

std::vector<std::string> Strings(const json& list) {
  std::vector<std::string> out;
  if (!list.is_array()) return out;
  for (const json& item : list) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

std::map<std::string, std::string> StringMap(const json& object) {
  std::map<std::string, std::string> out;
  if (!object.is_object()) return out;
  for (const auto& [key, value] : object.items()) {
    out[key] = value.is_string() ? value.get<std::string>() : "";
  }
  return out;
}

std::vector<MatrixRow> Rows(const json& list, bool actionloop) {
  std::vector<MatrixRow> rows;
  for (const json& row : list) {
    MatrixRow parsed;
    parsed.fault = row.value("fault", "");
    parsed.caught_by = Strings(row.value("caught_by", json::array()));
    parsed.filter = Strings(row.value("filter", json::array()));
    parsed.args = Strings(row.value("args", json::array()));
    parsed.actionloop = actionloop;
    // Actionloop rows never run the whole catalogue (known warnings).
    if (actionloop && parsed.filter.empty()) parsed.filter = parsed.caught_by;
    rows.push_back(parsed);
  }
  return rows;
}

MatrixTable LoadTable() {
  MatrixTable table;
  const json doc = json::parse(ReadFile(FAULT_MATRIX_TABLE), nullptr, false);
  if (!doc.is_object() || !doc.contains("faults") || !doc["faults"].is_array() ||
      !doc.contains("actionloop") || !doc["actionloop"].is_object()) {
    table.error = std::string("cannot read the table ") + FAULT_MATRIX_TABLE;
    return table;
  }
  table.step_timeout_ms = doc.value("step_timeout_ms", 3000L);
  table.rows = Rows(doc["faults"], false);
  table.normal_not_applicable = StringMap(doc.value("not_applicable", json::object()));
  const json& loop = doc["actionloop"];
  table.actionloop_mode.profile = loop.value("profile", "");
  table.actionloop_mode.runtime_args = Strings(loop.value("args", json::array()));
  table.actionloop_mode.step_timeout_ms = loop.value("step_timeout_ms", table.step_timeout_ms);
  table.actionloop_rows = Rows(loop.value("faults", json::array()), true);
  table.known_warnings = StringMap(loop.value("known_warnings", json::object()));
  table.not_applicable = StringMap(loop.value("not_applicable", json::object()));
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

CheckMode SkeletonMode() {
  CheckMode mode;
  // reference_runtime exports /init env; the real skeleton does not.
  mode.capabilities = {"init_env=true"};
  mode.step_timeout_ms = Table().step_timeout_ms;
  return mode;
}

CheckRun RunCheck(const std::string& dir, const CheckMode& mode, const std::string& fault,
                  const std::vector<std::string>& filter, bool strict = true) {
  std::string launch =
      Quoted(REFERENCE_RUNTIME_BIN) + " --host 127.0.0.1 --port {port} --action-dir {dir}";
  for (const auto& arg : mode.runtime_args) launch += " " + Quoted(arg);
  if (!fault.empty()) launch += " --fault " + fault;
  std::vector<std::string> argv = {MOCK_INVOKER_BIN, "check",
                                   "--launch",       launch,
                                   "--profile",      mode.profile,
                                   "--json",         dir + "/report.json",
                                   "--jobs",         "2",
                                   "--color",        "never",
                                   "--timeout",      std::to_string(mode.step_timeout_ms)};
  if (strict) argv.push_back("--strict");
  for (const auto& capability : mode.capabilities) {
    argv.push_back("--capability");
    argv.push_back(capability);
  }
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

// The faults `reference_runtime --list-faults` names (empty if it failed).
std::set<std::string> ListedFaults() {
  TempDir dir;
  const ChildResult child =
      RunChild({REFERENCE_RUNTIME_BIN, "--list-faults"}, dir.path() + "/out.txt",
               dir.path() + "/err.txt", std::chrono::milliseconds(10000));
  std::set<std::string> listed;
  if (!child.started || child.exit_code != 0) return listed;
  std::istringstream lines(ReadFile(dir.path() + "/out.txt"));
  for (std::string line; std::getline(lines, line);) {
    const std::string name = line.substr(0, line.find(' '));
    if (!name.empty()) listed.insert(name);
  }
  return listed;
}

TEST(FaultMatrixTable, CoversExactlyTheRuntimesFaults) {
  const std::set<std::string> listed = ListedFaults();
  std::set<std::string> tabled;
  for (const MatrixRow& row : Table().rows) tabled.insert(row.fault);
  // Not applicable to the normal mode: a reason, and caught in the actionloop one.
  std::set<std::string> actionloop_rows;
  for (const MatrixRow& row : Table().actionloop_rows) actionloop_rows.insert(row.fault);
  for (const auto& [fault, reason] : Table().normal_not_applicable) {
    EXPECT_FALSE(reason.empty()) << fault << " needs the reason it cannot apply";
    EXPECT_TRUE(tabled.insert(fault).second) << fault << " is both a row and not applicable";
    EXPECT_EQ(actionloop_rows.count(fault), 1u) << fault << " must be an actionloop row instead";
  }
  EXPECT_GE(listed.size(), 33u);
  EXPECT_EQ(listed, tabled) << "every fault needs a row in fault_matrix.json (or a not_applicable "
                               "reason), and only those";
}

// Actionloop: each fault is a row or not applicable (with a reason), never
// both; no row's run includes a known warning (its exit code would say
// nothing); every row has its own filter.
TEST(FaultMatrixTable, ActionLoopCoversEveryFaultAsARowOrNotApplicable) {
  ASSERT_TRUE(Table().error.empty()) << Table().error;
  EXPECT_EQ(Table().actionloop_mode.profile, "actionloop");
  EXPECT_GE(Table().actionloop_rows.size(), 20u);
  std::set<std::string> covered;
  for (const MatrixRow& row : Table().actionloop_rows) {
    EXPECT_TRUE(covered.insert(row.fault).second) << "duplicate actionloop row " << row.fault;
    EXPECT_FALSE(row.caught_by.empty()) << row.fault;
    for (const auto& id : row.caught_by) {
      EXPECT_NE(std::find(row.filter.begin(), row.filter.end(), id), row.filter.end())
          << row.fault << ": filter leaves out " << id;
    }
    for (const auto& id : row.filter) {
      EXPECT_EQ(Table().known_warnings.count(id), 0u) << row.fault << " runs known warning " << id;
    }
  }
  for (const auto& [fault, reason] : Table().not_applicable) {
    EXPECT_FALSE(reason.empty()) << fault << " needs the reason it cannot apply";
    EXPECT_TRUE(covered.insert(fault).second) << fault << " is both a row and not applicable";
  }
  EXPECT_EQ(covered, ListedFaults());
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
  const CheckRun run = RunCheck(dir.path(), SkeletonMode(), "", {});
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

// Without --strict: the known warnings end warn (and nothing else does),
// every other scenario passes or is skipped.
TEST(FaultMatrixClean, TheUnbrokenActionLoopRuntimePassesEveryScenario) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const CheckRun run = RunCheck(dir.path(), Table().actionloop_mode, "", {}, false);
  ASSERT_TRUE(run.child.started) << run.child.error;
  ASSERT_FALSE(run.child.timed_out) << run.output;
  const auto scenarios = ScenariosById(run.report);
  EXPECT_EQ(run.child.exit_code, 0) << OutcomesText(scenarios) << run.output;
  EXPECT_GE(scenarios.size(), 30u);
  for (const auto& [id, s] : scenarios) {
    const std::string outcome = s.value("outcome", "");
    if (Table().known_warnings.count(id) > 0) {
      EXPECT_EQ(outcome, "warn") << id << " is listed as a known warning";
    } else {
      EXPECT_TRUE(outcome == "pass" || outcome == "skip") << id << ": " << outcome;
    }
  }
}

// A row's own runtime options (e.g. a pool) without its fault: its filter
// passes, so the fault alone is what the row catches.
TEST(FaultMatrixClean, ActionLoopRowOptionsAloneAreClean) {
  for (const MatrixRow& row : Table().actionloop_rows) {
    if (row.args.empty()) continue;
    TempDir dir;
    CheckMode mode = Table().actionloop_mode;
    mode.runtime_args.insert(mode.runtime_args.end(), row.args.begin(), row.args.end());
    const CheckRun run = RunCheck(dir.path(), mode, "", row.filter);
    ASSERT_TRUE(run.child.started) << run.child.error;
    EXPECT_EQ(run.child.exit_code, 0) << row.fault << "'s options alone:\n"
                                      << OutcomesText(ScenariosById(run.report));
  }
}

// gtest prints the parameter in its listing and messages: the fault's name.
void PrintTo(const MatrixRow& row, std::ostream* out) { *out << row.fault; }

class FaultMatrix : public ::testing::TestWithParam<MatrixRow> {};

TEST_P(FaultMatrix, CaughtByItsScenarios) {
  const MatrixRow& row = GetParam();
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  CheckMode mode = row.actionloop ? Table().actionloop_mode : SkeletonMode();
  mode.runtime_args.insert(mode.runtime_args.end(), row.args.begin(), row.args.end());
  const CheckRun run = RunCheck(dir.path(), mode, row.fault, row.filter);
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
  std::string name = (info.param.actionloop ? "actionloop_" : "") + info.param.fault;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name.empty() ? "row" + std::to_string(info.index) : name;
}

GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(FaultMatrix);
std::vector<MatrixRow> AllRows() {
  std::vector<MatrixRow> rows = Table().rows;
  rows.insert(rows.end(), Table().actionloop_rows.begin(), Table().actionloop_rows.end());
  return rows;
}

INSTANTIATE_TEST_SUITE_P(Faults, FaultMatrix, ::testing::ValuesIn(AllRows()), RowName);

}  // namespace
}  // namespace faults_test
