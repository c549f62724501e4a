// End-to-end: `reference_runtime --actionloop` with real long-lived bash
// loop actions speaking the actionloop protocol (stdin line in, fd 3 line
// out), over HTTP on 127.0.0.1.
#include <stdlib.h>

#include <future>
#include <set>
#include <sstream>

#include "tests/runtime/actionloop_fixture.h"

namespace rr_test {
namespace {

TEST_F(ActionLoopTest, OneProcessServesEveryActivationWithLogsBeforeSentinels) {
  setenv("OW_WAIT_FOR_ACK", "1", 1);
  StartLoop();
  ASSERT_EQ(InitCode(kLoop).status, 200);
  const json first = Answer(Run({{"value", {{"a", "héllo"}}},
                                 {"namespace", "ns"},
                                 {"activation_id", "0123"},
                                 {"deadline", "99999999999999"}}));
  const json second = Answer(Run({{"value", json::array({1, 2})}}));
  ASSERT_TRUE(first.is_object() && second.is_object());
  EXPECT_EQ(first["pid"], second["pid"]) << "the same process answers both";
  EXPECT_EQ(first["n"], 1);
  EXPECT_EQ(second["n"], 2);
  // The whole /run body is the line: value and every context key.
  EXPECT_EQ(first["input"]["value"], json({{"a", "héllo"}}));
  EXPECT_EQ(first["input"]["namespace"], "ns");
  EXPECT_EQ(first["input"]["activation_id"], "0123");
  EXPECT_EQ(first["input"]["deadline"], "99999999999999");
  EXPECT_EQ(second["input"]["value"], json::array({1, 2}));
  ASSERT_TRUE(runtime_->WaitForSentinels(2));
  EXPECT_EQ(runtime_->Stdout(), "out 1\n" + kSentinel + "out 2\n" + kSentinel);
  EXPECT_EQ(runtime_->Stderr(), "err 1\n" + kSentinel + "err 2\n" + kSentinel);
}

TEST_F(ActionLoopTest, ProcessEnvironmentIsTheProxysOnly) {
  setenv("__OW_API_HOST", "https://host.example", 1);
  StartLoop();
  const std::string action =
      "#!/bin/bash\nenv > env.txt\nwhile read -r line; do echo '{\"ok\":1}' >&3; done\n";
  ASSERT_EQ(InitCode(action, {{"GREETING", "hi"}, {"NUM", 5}}).status, 200);
  ASSERT_EQ(Run({{"value", json::object()}}).status, 200);
  const std::string env = ReadFile(runtime_->action_dir() + "/1/bin/env.txt");
  EXPECT_NE(env.find("GREETING=hi\n"), std::string::npos) << env;
  EXPECT_NE(env.find("NUM=5\n"), std::string::npos) << env;
  EXPECT_NE(env.find("__OW_API_HOST=https://host.example\n"), std::string::npos) << env;
  EXPECT_NE(env.find("__OW_PROXY_VERSION="), std::string::npos) << env;
  EXPECT_EQ(env.find("__OW_WAIT_FOR_ACK"), std::string::npos) << "no ack asked: " << env;
  EXPECT_EQ(env.find("\nHOME="), std::string::npos) << "nothing else inherited: " << env;
}

TEST_F(ActionLoopTest, BeforeInitAndWithoutCode) {
  StartLoop();
  HttpResult run = Run({{"value", json::object()}});
  EXPECT_EQ(run.status, 500);
  EXPECT_EQ(run.body, R"({"error":"no action defined yet"})");
  HttpResult init = InitCode("");
  EXPECT_EQ(init.status, 403);
  EXPECT_EQ(init.body, R"({"error":"Missing main/no code to execute."})");
  ASSERT_TRUE(runtime_->WaitForSentinels(2));
  ASSERT_EQ(InitCode(kLoop).status, 200) << "a failed init allows another";
  HttpResult again = InitCode(kLoop);
  EXPECT_EQ(again.status, 403);
  EXPECT_EQ(again.body, R"({"error":"Cannot initialize the action more than once."})");
}

TEST_F(ActionLoopTest, ProcessDeathAnswers502AndTheNextRunRestartsIt) {
  StartLoop();
  ASSERT_EQ(InitCode(kLoop).status, 200);
  const json before = Answer(Run({{"value", json::object()}}));
  HttpResult died = Run({{"value", {{"exit", 3}}}});
  EXPECT_EQ(died.status, 502);
  EXPECT_EQ(died.body, R"({"error":"command exited"})");
  const json after = Answer(Run({{"value", json::object()}}));
  ASSERT_TRUE(after.is_object());
  EXPECT_NE(after["pid"], before["pid"]);
  EXPECT_EQ(after["n"], 1) << "a fresh process";
  ASSERT_TRUE(runtime_->WaitForSentinels(3));
  const std::string err = runtime_->Stderr();
  EXPECT_NE(err.find("err 2\nThe action's process ended during the activation (exit code 3).\n" +
                     kSentinel),
            std::string::npos)
      << err;
  EXPECT_TRUE(WaitGone(before["pid"].get<pid_t>()));
}

TEST_F(ActionLoopTest, StrayResultLinesNeverShiftLaterResults) {
  StartLoop();
  ASSERT_EQ(InitCode(kLoop).status, 200);
  const json first = Answer(Run({{"value", {{"extra", 1}}}}));
  EXPECT_EQ(first["n"], 1);
  const json second = Answer(Run({{"value", json::object()}}));
  EXPECT_EQ(second["n"], 2) << second.dump();
  EXPECT_EQ(second["input"]["value"], json::object());
}

TEST_F(ActionLoopTest, DeadlineKillsTheProcessAndTheNextRunRestartsIt) {
  StartLoop();
  ASSERT_EQ(InitCode(kLoop).status, 200);
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const auto soon = std::chrono::duration_cast<std::chrono::milliseconds>(now).count() + 300;
  HttpResult late = Run({{"value", {{"sleep", 30}}}, {"deadline", std::to_string(soon)}});
  EXPECT_EQ(late.status, 502);
  EXPECT_NE(late.body.find("deadline"), std::string::npos) << late.body;
  const json after = Answer(Run({{"value", json::object()}}));
  EXPECT_EQ(after["n"], 1) << after.dump();
}

TEST_F(ActionLoopTest, AckRules) {
  setenv("OW_WAIT_FOR_ACK", "1", 1);
  StartLoop();
  HttpResult no_ack = InitCode("#!/bin/bash\nexit 0\n");
  EXPECT_EQ(no_ack.status, 502);
  EXPECT_EQ(no_ack.body,
            R"({"error":"cannot start action: Command exited abruptly during initialization."})");
  HttpResult bad_ack = InitCode("#!/bin/bash\necho '{\"ok\":false}' >&3\nsleep 30\n");
  EXPECT_EQ(bad_ack.status, 502);
  EXPECT_EQ(bad_ack.body,
            R"({"error":"cannot start action: The action did not initialize properly."})");
  ASSERT_TRUE(runtime_->WaitForSentinels(2)) << "a failed init ends with sentinels";
  EXPECT_EQ(InitCode(kLoop).status, 200);
}

TEST_F(ActionLoopTest, LogInitErrorPutsTheReasonInTheLogsOnly) {
  setenv("OW_WAIT_FOR_ACK", "1", 1);
  setenv("OW_LOG_INIT_ERROR", "1", 1);
  StartLoop();
  HttpResult init = InitCode("#!/bin/bash\nexit 1\n");
  EXPECT_EQ(init.status, 502);
  EXPECT_EQ(init.body, R"({"error":"Cannot start action. Check logs for details."})");
  ASSERT_TRUE(runtime_->WaitForSentinels(1));
  EXPECT_NE(runtime_->Stderr().find("Command exited abruptly during initialization.\n" + kSentinel),
            std::string::npos)
      << runtime_->Stderr();
}

// A compiler script in the style of the real ones: `compile main src bin`.
std::string WriteCompiler(const std::string& dir) {
  const std::string path = dir + "/compile";
  WriteFile(path,
            "#!/bin/bash\n"
            "main=$1 src=$2 bin=$3\n"
            "if grep -q FAIL \"$src/exec\"; then echo \"syntax error in $main\"; exit 1; fi\n"
            "{ echo '#!/bin/bash'; echo \"echo started $main >&2\"; cat \"$src/exec\"; } "
            "> \"$bin/exec\"\n"
            "printf '%s' \"$__OW_EXECUTION_ENV\" > \"$bin/exec.env\"\n",
            0755);
  return path;
}

TEST_F(ActionLoopTest, CompilerRunsOnSourceAndItsOutputIsTheInitError) {
  TempDir tools;
  setenv("OW_COMPILER", WriteCompiler(tools.path()).c_str(), 1);
  setenv("OW_EXECUTION_ENV", "test/env-1", 1);
  StartLoop();
  const std::string body = "while read -r line; do echo '{\"compiled\":true}' >&3; done\n";
  HttpResult failed = InitCode("FAIL\n" + body);
  EXPECT_EQ(failed.status, 502);
  EXPECT_EQ(failed.body, R"({"error":"syntax error in main\n"})");
  json init = {{"value", {{"main", "entry"}, {"code", body}}}};
  ASSERT_EQ(Post(runtime_->port(), "/init", init.dump()).status, 200);
  EXPECT_EQ(Run({{"value", json::object()}}).body, R"({"compiled":true})");
  ASSERT_TRUE(runtime_->WaitForSentinels(2));
  EXPECT_NE(runtime_->Stderr().find("started entry\n"), std::string::npos) << runtime_->Stderr();
}

TEST_F(ActionLoopTest, ExecutionEnvMismatchRefusesTheStart) {
  TempDir tools;
  setenv("OW_COMPILER", WriteCompiler(tools.path()).c_str(), 1);
  setenv("OW_EXECUTION_ENV", "test/env-1", 1);
  StartLoop();
  // Already runnable (#!): not compiled, so there is no exec.env.
  HttpResult init = InitCode(kLoop);
  EXPECT_EQ(init.status, 502);
  EXPECT_NE(init.body.find("cannot start action: open "), std::string::npos) << init.body;
  EXPECT_NE(init.body.find("exec.env"), std::string::npos) << init.body;
}

TEST_F(ActionLoopTest, SerialisedByDefault) {
  StartLoop();
  ASSERT_EQ(InitCode(kLoop).status, 200);
  std::vector<std::future<HttpResult>> runs;
  for (int i = 0; i < 4; ++i) {
    runs.push_back(std::async(std::launch::async, [this, i] {
      return Run({{"value", {{"sleep", 0.1}, {"i", i}}}});
    }));
  }
  std::set<int> counters;
  std::set<int> pids;
  for (auto& run : runs) {
    const json answer = Answer(run.get());
    ASSERT_TRUE(answer.is_object());
    counters.insert(answer["n"].get<int>());
    pids.insert(answer["pid"].get<int>());
  }
  EXPECT_EQ(counters, (std::set<int>{1, 2, 3, 4}));
  EXPECT_EQ(pids.size(), 1u);
}

TEST_F(ActionLoopTest, PoolRunsOverlappingActivationsInSeparateProcessesWithContiguousLogs) {
  StartLoop({"--actionloop-pool", "3"});
  ASSERT_EQ(InitCode(kLoop).status, 200);
  std::vector<std::future<HttpResult>> runs;
  for (int i = 0; i < 6; ++i) {
    runs.push_back(std::async(std::launch::async, [this, i] {
      return Run({{"value", {{"sleep", 0.2}, {"i", i}}}});
    }));
  }
  std::set<int> pids;
  for (auto& run : runs) {
    const json answer = Answer(run.get());
    ASSERT_TRUE(answer.is_object());
    pids.insert(answer["pid"].get<int>());
  }
  EXPECT_GE(pids.size(), 2u);
  EXPECT_LE(pids.size(), 3u);
  ASSERT_TRUE(runtime_->WaitForSentinels(6));
  // Each activation's block: one "out N" line, then its sentinel.
  std::istringstream lines(runtime_->Stdout());
  std::string line;
  int blocks = 0;
  while (std::getline(lines, line)) {
    EXPECT_EQ(line.rfind("out ", 0), 0u) << runtime_->Stdout();
    ASSERT_TRUE(std::getline(lines, line));
    EXPECT_EQ(line + "\n", kSentinel) << runtime_->Stdout();
    ++blocks;
  }
  EXPECT_EQ(blocks, 6);
}

// The result rule of the normal mode applies to the fd 3 line.
TEST_F(ActionLoopTest, AScalarOrNonJsonResultLineIs502) {
  StartLoop();
  ASSERT_EQ(InitCode("#!/bin/bash\nwhile read -r line; do echo 42 >&3; done\n").status, 200);
  HttpResult result = Run({{"value", json::object()}});
  EXPECT_EQ(result.status, 502);
  EXPECT_EQ(result.body, R"({"error":"The action did not return a dictionary or array."})");
  ASSERT_TRUE(runtime_->WaitForSentinels(1));
  EXPECT_EQ(runtime_->Stdout(), "42\n" + kSentinel) << "the rejected line is logged";
}

// The fault decorators wrap the actionloop parts too (seams a, c, e, f).
TEST_F(ActionLoopTest, FaultsApplyInActionLoopMode) {
  StartLoop({"--fault", "scalar-result-accepted", "--fault", "no-stdout-sentinel", "--fault",
             "chunked-responses", "--fault", "errors-as-503"});
  HttpResult before = Run({{"value", json::object()}});
  EXPECT_EQ(before.status, 503) << "errors-as-503: " << before.body;
  ASSERT_EQ(InitCode("#!/bin/bash\nwhile read -r line; do echo 42 >&3; done\n").status, 200);
  HttpResult result = Run({{"value", json::object()}});
  EXPECT_EQ(result.status, 200) << "scalar-result-accepted";
  EXPECT_EQ(result.body, "42");
  EXPECT_NE(result.headers.find("chunked"), std::string::npos) << result.headers;
  for (int i = 0; i < 500 && CountOccurrences(runtime_->Stderr(), kSentinel) < 2; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(CountOccurrences(runtime_->Stderr(), kSentinel), 2u);
  EXPECT_EQ(CountOccurrences(runtime_->Stdout(), kSentinel), 0u) << "no-stdout-sentinel";
}

TEST_F(ActionLoopTest, PoolShrinksBackToOneProcessWhenIdle) {
  StartLoop({"--actionloop-pool", "3", "--actionloop-pool-idle-ms", "300"});
  ASSERT_EQ(InitCode(kLoop).status, 200);
  std::vector<std::future<HttpResult>> runs;
  for (int i = 0; i < 3; ++i) {
    runs.push_back(std::async(std::launch::async, [this, i] {
      return Run({{"value", {{"sleep", 0.3}, {"i", i}}}});
    }));
  }
  std::set<int> pids;
  for (auto& run : runs) pids.insert(Answer(run.get())["pid"].get<int>());
  ASSERT_GE(pids.size(), 2u) << "the overlap grew the pool";
  size_t children = ChildrenOf(runtime_->pid()).size();
  for (int i = 0; i < 300 && children > 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    children = ChildrenOf(runtime_->pid()).size();
  }
  EXPECT_EQ(children, 1u) << "idle processes beyond the first are ended";
  const json again = Answer(Run({{"value", json::object()}}));
  ASSERT_TRUE(again.is_object());
  EXPECT_EQ(pids.count(again["pid"].get<int>()), 1u) << "a process of before serves it";
}

// The tolerance matrix runs these variants in actionloop mode: they must
// change what this mode answers, or those rows would prove nothing.
TEST_F(ActionLoopTest, VariantsApplyInActionLoopMode) {
  StartLoop({"--variant", "init-ok-newline", "--variant", "result-trailing-newline", "--variant",
             "spaced-result", "--variant", "rejected-400"});
  HttpResult init = InitCode(
      "#!/bin/bash\nwhile read -r line; do\n"
      "  case \"$line\" in *scalar*) echo 42 >&3;; *) echo '{\"a\":1}' >&3;; esac\ndone\n");
  ASSERT_EQ(init.status, 200);
  EXPECT_EQ(init.body, "{\"ok\":true}\n") << "init-ok-newline";
  HttpResult result = Run({{"value", json::object()}});
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.body, "{\"a\": 1}\n") << "spaced-result, result-trailing-newline";
  EXPECT_EQ(Run({{"value", {{"scalar", true}}}}).status, 400) << "rejected-400";
}

TEST_F(ActionLoopTest, InitAndEmptyResultVariantsApplyInActionLoopMode) {
  StartLoop({"--variant", "failed-init-400", "--variant", "empty-result-null", "--variant",
             "diagnostic-timestamp"});
  EXPECT_EQ(InitCode(kLoop, {{"A=B", "x"}}).status, 400) << "failed-init-400 (else 502)";
  ASSERT_EQ(InitCode("#!/bin/bash\nwhile read -r line; do echo >&3; done\n").status, 200);
  HttpResult result = Run({{"value", json::object()}});
  EXPECT_EQ(result.status, 200) << "empty-result-null";
  EXPECT_EQ(result.body, "null");
  EXPECT_EQ(InitCode(kLoop).status, 403);
  for (int i = 0; i < 200 && runtime_->Stderr().find("2026/") == std::string::npos; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_NE(runtime_->Stderr().find("2026/12/01 22:29:29 Cannot initialize"), std::string::npos)
      << "diagnostic-timestamp:\n"
      << runtime_->Stderr();
}

TEST_F(ActionLoopTest, RefuseOverlapVariantRefusesInsteadOfQueueing) {
  StartLoop({"--variant", "refuse-overlap"});
  ASSERT_EQ(InitCode(kLoop).status, 200);
  std::vector<std::future<HttpResult>> runs;
  for (int i = 0; i < 3; ++i) {
    runs.push_back(std::async(std::launch::async, [this, i] {
      return Run({{"value", {{"sleep", 0.5}, {"i", i}}}});
    }));
  }
  std::multiset<int> statuses;
  for (auto& run : runs) statuses.insert(run.get().status);
  EXPECT_GE(statuses.count(200), 1u);
  EXPECT_GE(statuses.count(403), 1u) << "the overlap is refused, not queued";
}

}  // namespace
}  // namespace rr_test
