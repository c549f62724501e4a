// End to end: the real `mock_invoker check` and `mock_invoker invoke` against
// every hostile_runtime mode and a port nobody listens on. Whatever the
// runtime does, mock_invoker must end on its own (an outer deadline turns a
// hang into a failure), exit 1 (or 3 when the runtime never came up), never by
// a signal, keep its peak RSS bounded, leave no runtime process behind, and
// report every selected scenario with a verdict that names the problem.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "tests/hostile/bounded_child.h"

namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// Far past anything the harness may take with the short timeouts below
// (their worst case is a few seconds): reaching it means mock_invoker hung.
constexpr auto kOuterDeadline = 60000ms;

// A run/stub scenario, an init+run one and a logs one; all must-level, so a
// broken rule is a fail (not a warn).
constexpr char kFilter[] = "stub.answer-before-init,init.text-code,logs.order-and-sentinels";
const std::set<std::string> kFilteredIds = {"stub.answer-before-init", "init.text-code",
                                            "logs.order-and-sentinels"};

#if defined(__SANITIZE_ADDRESS__)
constexpr long kMaxRssMb = 1200;  // shadow memory and the allocator's quarantine
#else
constexpr long kMaxRssMb = 400;
#endif

std::string hostile_launch(const std::string& mode) {
  return std::string("'") + HOSTILE_RUNTIME_BIN + "' --port {port} --mode " + mode;
}

std::string describe(const hostile::BoundedRun& run) {
  auto clip = [](const std::string& s) { return s.size() > 3000 ? s.substr(0, 3000) + "..." : s; };
  return run.summary() + "\n--- stdout\n" + clip(run.out) + "\n--- stderr\n" + clip(run.err);
}

// What every run must satisfy, whatever the runtime did.
void expect_ended_by_itself(const hostile::BoundedRun& run) {
  ASSERT_TRUE(run.started) << run.spawn_error;
  EXPECT_FALSE(run.timed_out) << "mock_invoker hung: " << describe(run);
  EXPECT_FALSE(run.signaled) << "mock_invoker crashed: " << describe(run);
  EXPECT_LT(run.max_rss_kb / 1024, kMaxRssMb) << describe(run);
  EXPECT_EQ(run.orphans, 0) << "runtime processes outlived mock_invoker: " << describe(run);
  // Sanitizer builds exit 1 on a finding, which would pass for a verdict.
  EXPECT_EQ(run.err.find("Sanitizer"), std::string::npos) << describe(run);
  EXPECT_EQ(run.err.find("runtime error:"), std::string::npos) << describe(run);
}

// A loopback port bound but never listened on: connecting is refused, and
// no parallel test can take the port while this holds it (a port merely
// picked as free could be handed to another test's runtime).
class ClosedPort {
 public:
  ClosedPort() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd_ >= 0 && ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      port_ = ntohs(addr.sin_port);
    }
  }
  ~ClosedPort() {
    if (fd_ >= 0) ::close(fd_);
  }
  ClosedPort(const ClosedPort&) = delete;
  ClosedPort& operator=(const ClosedPort&) = delete;
  unsigned short port() const { return port_; }

 private:
  int fd_;
  unsigned short port_ = 0;
};

// A scenario's message plus its failed checks ("what: actual"), one per line.
std::string evidence(const json& scenario) {
  std::string text = scenario.value("message", "");
  for (const auto& e : scenario["expectations"]) {
    if (e.value("passed", true)) continue;
    text += "\n" + e.value("what", "") + ": " + e.value("actual", "");
  }
  return text;
}

// gtest names: the mode with '_' for '-'.
template <typename Case>
std::string test_name(const ::testing::TestParamInfo<Case>& param_info) {
  std::string name = param_info.param.mode;
  for (auto& ch : name) {
    if (ch == '-') ch = '_';
  }
  return name;
}

bool matches(const std::string& text, const std::string& pattern) {
  return std::regex_search(text, std::regex(pattern, std::regex::icase));
}

hostile::BoundedRun run_check(const hostile::ScratchDir& dir, std::vector<std::string> target) {
  std::vector<std::string> argv = {MOCK_INVOKER_BIN, "check"};
  argv.insert(argv.end(), target.begin(), target.end());
  const std::vector<std::string> rest = {"--profile",       SKELETON_PROFILE_DIR,
                                         "--scenarios",     SCENARIOS_DIR,
                                         "--json",          dir.file("r.json"),
                                         "--timeout",       "1000",
                                         "--ready-timeout", "2000",
                                         "--jobs",          "2",
                                         "--filter",        kFilter,
                                         "--color",         "never"};
  argv.insert(argv.end(), rest.begin(), rest.end());
  return hostile::run_bounded(argv, dir.path(), kOuterDeadline);
}

// The report must parse and list each filtered scenario once, each failed or
// errored; returns the scenarios by id.
std::map<std::string, json> read_report(const hostile::ScratchDir& dir,
                                        const hostile::BoundedRun& run) {
  std::map<std::string, json> by_id;
  const std::string text = hostile::read_text_file(dir.file("r.json"));
  EXPECT_LT(text.size(), 8u << 20) << "report grew with the runtime's output";
  const json report = json::parse(text, nullptr, /*allow_exceptions=*/false);
  EXPECT_TRUE(report.is_object() && report.contains("scenarios"))
      << "no JSON report: " << text.substr(0, 500) << "\n"
      << describe(run);
  if (!report.is_object() || !report.contains("scenarios")) return by_id;
  EXPECT_EQ(report.value("exit_code", -1), run.exit_code);
  int judged = 0;
  for (const auto& s : report["scenarios"]) {
    const std::string id = s.value("id", "");
    EXPECT_EQ(by_id.count(id), 0u) << "listed twice: " << id;
    by_id[id] = s;
    const std::string outcome = s.value("outcome", "");
    // A runtime that never became ready stops the run: the scenarios after
    // the one that said so are listed as not run (skipped), never passed.
    if (s.value("not_run", false)) {
      EXPECT_EQ(outcome, "skip") << id << ": " << evidence(s);
      continue;
    }
    ++judged;
    EXPECT_TRUE(outcome == "fail" || outcome == "error")
        << id << " has outcome " << outcome << ": " << evidence(s);
  }
  EXPECT_GT(judged, 0) << "no scenario was judged\n" << describe(run);
  std::set<std::string> listed;
  for (const auto& [id, s] : by_id) listed.insert(id);
  EXPECT_EQ(listed, kFilteredIds) << describe(run);
  return by_id;
}

// The helper itself: a hang must become a failure, a stray process must be
// seen and must not outlive the test.
TEST(BoundedChild, KillsAChildThatOutlivesTheDeadline) {
  hostile::ScratchDir dir;
  const hostile::BoundedRun run = hostile::run_bounded({"sleep", "30"}, dir.path(), 200ms);
  ASSERT_TRUE(run.started) << run.spawn_error;
  EXPECT_TRUE(run.timed_out);
  EXPECT_TRUE(run.signaled);
  EXPECT_NE(run.summary().find("HUNG"), std::string::npos) << run.summary();
}

TEST(BoundedChild, CountsAndReapsWhatTheChildLeftRunning) {
  hostile::ScratchDir dir;
  const hostile::BoundedRun run = hostile::run_bounded(
      {"sh", "-c", "sleep 30 </dev/null >/dev/null 2>&1 & echo started"}, dir.path(), 10000ms);
  ASSERT_TRUE(run.started) << run.spawn_error;
  EXPECT_FALSE(run.timed_out);
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.out, "started\n");
  EXPECT_EQ(run.orphans, 1) << run.summary();
}

struct CheckCase {
  const char* mode;
  int exit_code;
  // Must match every scenario's message: the runtime's fault, in words.
  const char* problem;
  // When set, must match the failed checks of logs.order-and-sentinels: what
  // only the log checks can see.
  const char* logs_problem;
};

void PrintTo(const CheckCase& c, std::ostream* os) { *os << c.mode; }

class CheckAgainstHostile : public ::testing::TestWithParam<CheckCase> {};

TEST_P(CheckAgainstHostile, EndsWithAVerdictNamingTheProblem) {
  const CheckCase& c = GetParam();
  hostile::ScratchDir dir;
  ASSERT_FALSE(dir.path().empty());
  const hostile::BoundedRun run = run_check(dir, {"--launch", hostile_launch(c.mode)});
  expect_ended_by_itself(run);
  EXPECT_EQ(run.exit_code, c.exit_code) << describe(run);
  const auto scenarios = read_report(dir, run);
  for (const auto& [id, s] : scenarios) {
    if (s.value("not_run", false)) continue;  // after the run stopped (see read_report)
    EXPECT_TRUE(matches(s.value("message", ""), c.problem))
        << id << ": message does not match /" << c.problem << "/: " << evidence(s);
    if (c.exit_code == 3) {
      EXPECT_TRUE(s.value("runtime_not_ready", false)) << id;
    }
  }
  if (c.logs_problem != nullptr && scenarios.count("logs.order-and-sentinels")) {
    const json& logs = scenarios.at("logs.order-and-sentinels");
    EXPECT_TRUE(matches(evidence(logs), c.logs_problem))
        << "failed checks do not match /" << c.logs_problem << "/: " << evidence(logs);
  }
  RecordProperty("wall_ms", static_cast<int>(run.wall_ms));
  RecordProperty("peak_rss_mb", static_cast<int>(run.max_rss_kb / 1024));
  std::cout << "[ figures  ] check " << c.mode << ": " << run.summary() << "\n";
}

const CheckCase kCheckCases[] = {
    {"silent", 1, "no complete response .* within [0-9]+ ms", nullptr},
    {"stall-headers", 1, "no complete response .* within [0-9]+ ms", nullptr},
    {"endless-body", 1, "chunked", nullptr},
    {"short-body", 1, "dropped the connection", nullptr},
    {"close-mid", 1, "dropped the connection", nullptr},
    {"empty-reply", 1, "dropped the connection", nullptr},
    {"not-http", 1, "not an HTTP/1\\.1 response", nullptr},
    {"huge", 1, "larger than the harness keeps", nullptr},
    {"chunked", 1, "chunked", nullptr},
    {"exit-at-start", 3, "exited with status 1 at start[\\s\\S]*exiting at start as asked",
     nullptr},
    // /run answers {} at once: the body is wrong; the flood shows in the log checks.
    {"log-flood", 1, "body equals", "lines in order: .*flooding the log"},
    {"no-sentinel", 1, "body equals", "sentinels: 0 \\(stopped waiting"},
};

INSTANTIATE_TEST_SUITE_P(Modes, CheckAgainstHostile, ::testing::ValuesIn(kCheckCases),
                         test_name<CheckCase>);

TEST(CheckAgainstNobody, ClosedPortIsRuntimeNeverReady) {
  const ClosedPort closed;
  ASSERT_NE(closed.port(), 0);
  const unsigned short port = closed.port();
  hostile::ScratchDir dir;
  const hostile::BoundedRun run =
      run_check(dir, {"--url", "http://127.0.0.1:" + std::to_string(port)});
  expect_ended_by_itself(run);
  EXPECT_EQ(run.exit_code, 3) << describe(run);
  for (const auto& [id, s] : read_report(dir, run)) {
    if (s.value("not_run", false)) continue;  // after the run stopped (see read_report)
    EXPECT_EQ(s.value("outcome", ""), "error") << id;
    EXPECT_TRUE(s.value("runtime_not_ready", false)) << id;
    EXPECT_TRUE(matches(s.value("message", ""), "never became ready.*nothing accepted connections"))
        << id << ": " << evidence(s);
  }
  std::cout << "[ figures  ] check closed port: " << run.summary() << "\n";
}

// `mock_invoker invoke`: the platform's own messages (C4.4, C4.2, C1.4).
struct InvokeCase {
  const char* mode;
  int exit_code;
  const char* status;  // activation status; nullptr: no record (exit 3)
  // Start of response.result.error; for exit 3, a pattern stderr must match.
  const char* error_prefix;
};

void PrintTo(const InvokeCase& c, std::ostream* os) { *os << c.mode; }

class InvokeAgainstHostile : public ::testing::TestWithParam<InvokeCase> {};

TEST_P(InvokeAgainstHostile, EndsWithThePlatformsMessage) {
  const InvokeCase& c = GetParam();
  hostile::ScratchDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string action = dir.file("action.sh");
  { std::ofstream(action) << "#!/bin/sh\necho '{\"ok\":true}'\n"; }
  const hostile::BoundedRun run =
      hostile::run_bounded({MOCK_INVOKER_BIN, "invoke", action, "--launch", hostile_launch(c.mode),
                            "--timeout", "1000", "--ready-timeout", "2000"},
                           dir.path(), kOuterDeadline);
  expect_ended_by_itself(run);
  EXPECT_EQ(run.exit_code, c.exit_code) << describe(run);
  std::cout << "[ figures  ] invoke " << c.mode << ": " << run.summary() << "\n";
  if (c.status == nullptr) {
    EXPECT_TRUE(matches(run.err, c.error_prefix)) << describe(run);
    return;
  }
  const json record = json::parse(run.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(record.is_object()) << describe(run);
  EXPECT_EQ(record["response"].value("status", ""), c.status) << describe(run);
  const json& result = record["response"]["result"];
  if (c.error_prefix == nullptr) {
    EXPECT_FALSE(result.contains("error")) << describe(run);
  } else {
    const std::string error = result.value("error", "");
    EXPECT_EQ(error.rfind(c.error_prefix, 0), 0u) << error.substr(0, 300);
    EXPECT_LE(error.size(), 2u << 20) << "the message holds at most the 1 MiB prefix";
  }
}

const InvokeCase kInvokeCases[] = {
    {"silent", 1, "action developer error",
     "The action exceeded its time limits of 1000 milliseconds during initialization."},
    {"stall-headers", 1, "action developer error",
     "The action exceeded its time limits of 1000 milliseconds during initialization."},
    {"close-mid", 1, "action developer error",
     "The action did not initialize and exited unexpectedly."},
    {"not-http", 1, "action developer error",
     "The action did not initialize and exited unexpectedly."},
    // Chunked: no length to judge (C1.2), so no response, however long it runs.
    {"endless-body", 1, "action developer error",
     "The action did not initialize and exited unexpectedly."},
    {"huge", 1, "action developer error",
     "The action produced a response that exceeded the allowed length: 2147483648 > 1048576 "
     "bytes. The truncated response was: 000"},
    {"exit-at-start", 3, nullptr,
     "^mock_invoker invoke: runtime `.*` exited with status 1 at start"},
};

INSTANTIATE_TEST_SUITE_P(Modes, InvokeAgainstHostile, ::testing::ValuesIn(kInvokeCases),
                         test_name<InvokeCase>);

// A flood of logs is not an activation failure: success, logs capped with the
// platform's notice (C4.6), memory bounded.
TEST(InvokeAgainstHostileLogs, LogFloodSucceedsWithCappedLogs) {
  hostile::ScratchDir dir;
  const std::string action = dir.file("action.sh");
  { std::ofstream(action) << "#!/bin/sh\necho '{}'\n"; }
  const hostile::BoundedRun run = hostile::run_bounded(
      {MOCK_INVOKER_BIN, "invoke", action, "--launch", hostile_launch("log-flood"), "--timeout",
       "5000", "--ready-timeout", "2000"},
      dir.path(), kOuterDeadline);
  expect_ended_by_itself(run);
  EXPECT_EQ(run.exit_code, 0) << describe(run);
  std::cout << "[ figures  ] invoke log-flood: " << run.summary() << "\n";
  const json record = json::parse(run.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(record.is_object()) << describe(run);
  EXPECT_EQ(record["response"].value("status", ""), "success");
  ASSERT_TRUE(record["logs"].is_array() && !record["logs"].empty());
  const std::string last = record["logs"].back().get<std::string>();
  EXPECT_NE(last.find("Logs were truncated because the total bytes size exceeds the limit of "),
            std::string::npos)
      << last;
  // 10 MiB of log text plus a timestamp per line: bounded, not the 100 MiB.
  EXPECT_LT(run.out.size(), 32u << 20);
}

// A runtime that never writes a sentinel: the result stands, a note says the
// logs may be incomplete, and the wait for it ended at the time limit.
TEST(InvokeAgainstHostileLogs, NoSentinelIsNotedNotAwaitedForever) {
  hostile::ScratchDir dir;
  const std::string action = dir.file("action.sh");
  { std::ofstream(action) << "#!/bin/sh\necho '{}'\n"; }
  const hostile::BoundedRun run = hostile::run_bounded(
      {MOCK_INVOKER_BIN, "invoke", action, "--launch", hostile_launch("no-sentinel"), "--timeout",
       "1000", "--ready-timeout", "2000"},
      dir.path(), kOuterDeadline);
  expect_ended_by_itself(run);
  EXPECT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_TRUE(matches(run.err, "no sentinel .*C3\\.7")) << describe(run);
  std::cout << "[ figures  ] invoke no-sentinel: " << run.summary() << "\n";
}

TEST(InvokeAgainstNobody, ClosedPortIsRuntimeNeverReady) {
  const ClosedPort closed;
  ASSERT_NE(closed.port(), 0);
  const unsigned short port = closed.port();
  hostile::ScratchDir dir;
  const std::string action = dir.file("action.sh");
  { std::ofstream(action) << "#!/bin/sh\necho '{}'\n"; }
  const hostile::BoundedRun run = hostile::run_bounded(
      {MOCK_INVOKER_BIN, "invoke", action, "--url", "http://127.0.0.1:" + std::to_string(port),
       "--timeout", "1000", "--ready-timeout", "1000"},
      dir.path(), kOuterDeadline);
  expect_ended_by_itself(run);
  EXPECT_EQ(run.exit_code, 3) << describe(run);
  EXPECT_TRUE(matches(run.err, "never became ready")) << describe(run);
  std::cout << "[ figures  ] invoke closed port: " << run.summary() << "\n";
}

}  // namespace
