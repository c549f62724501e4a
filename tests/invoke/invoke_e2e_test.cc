// End to end: the real `mock_invoker invoke` against the real reference
// runtime (with its --fault decorators for odd answers) and hostile_runtime,
// on loopback ephemeral ports. Checks the platform's mapping (C4.4), time
// limits (C4.2), truncation (C1.4), logs (C4.6) and warm/fresh reuse (C4.5).
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "conformance/platform/free_port.h"
#include "tests/e2e/e2e_support.h"

namespace {

using namespace std::chrono_literals;
using nlohmann::json;

const std::string kRuntime = REFERENCE_RUNTIME_BIN;
const std::string kLaunch = kRuntime + " --host 127.0.0.1 --port {port} --action-dir {dir}";

std::string launch_with_fault(const std::string& fault) { return kLaunch + " --fault " + fault; }
std::string launch_hostile(const std::string& mode) {
  return std::string(HOSTILE_RUNTIME_BIN) + " --port {port} --mode " + mode;
}

e2e::ProcessResult invoke(std::vector<std::string> args) {
  args.insert(args.begin(), {MOCK_INVOKER_BIN, "invoke"});
  return e2e::run_process(args, 60s);
}

std::string describe(const e2e::ProcessResult& r) {
  return "exit " + std::to_string(r.exit_code) + (r.timed_out ? " (timed out)" : "") +
         "\n--- stdout\n" + r.out + "\n--- stderr\n" + r.err;
}

// Every JSON document printed on stdout, in order.
std::vector<json> records(const std::string& out) {
  std::vector<json> docs;
  std::istringstream in(out);
  while (in >> std::ws && in.peek() != EOF) {
    json doc;
    try {
      in >> doc;
    } catch (const std::exception& e) {
      ADD_FAILURE() << "stdout is not a sequence of JSON documents: " << e.what() << "\n" << out;
      break;
    }
    docs.push_back(std::move(doc));
  }
  return docs;
}

json single_record(const e2e::ProcessResult& r) {
  auto docs = records(r.out);
  EXPECT_EQ(docs.size(), 1u) << describe(r);
  return docs.empty() ? json() : docs.front();
}

bool has_annotation(const json& record, const std::string& key) {
  for (const auto& a : record["annotations"])
    if (a["key"] == key) return true;
  return false;
}

json annotation(const json& record, const std::string& key) {
  for (const auto& a : record["annotations"])
    if (a["key"] == key) return a["value"];
  return nullptr;
}

class InvokeE2E : public ::testing::Test {
 protected:
  std::string action(const std::string& name, const std::string& body) {
    const std::string path = tmp_.file(name);
    e2e::write_file(path, "#!/bin/sh\n" + body);
    return path;
  }
  e2e::TempDir tmp_;
};

TEST_F(InvokeE2E, SuccessPrintsTheActivationRecordWithLogs) {
  auto r = invoke({action("hello.sh",
                          "echo 'to stdout'\necho 'to stderr' >&2\n"
                          "echo \"{\\\"args\\\": $1, \\\"ns\\\": \\\"$__OW_NAMESPACE\\\"}\"\n"),
                   "--launch", kLaunch, "--param", "n=5", "--param", "s=hello", "--param",
                   "o={\"k\":[1]}"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  json rec = single_record(r);
  EXPECT_EQ(rec["name"], "hello");
  EXPECT_EQ(rec["namespace"], "guest");
  EXPECT_EQ(rec["activationId"].get<std::string>().size(), 32u);
  EXPECT_EQ(rec["response"]["status"], "success");
  EXPECT_EQ(rec["response"]["statusCode"], 0);
  EXPECT_EQ(rec["response"]["success"], true);
  EXPECT_EQ(rec["response"]["result"]["args"], json::parse(R"({"n":5,"s":"hello","o":{"k":[1]}})"));
  EXPECT_EQ(rec["response"]["result"]["ns"], "guest");
  EXPECT_GE(rec["end"].get<long long>(), rec["start"].get<long long>());
  EXPECT_EQ(rec["duration"], rec["end"].get<long long>() - rec["start"].get<long long>());
  EXPECT_TRUE(has_annotation(rec, "initTime"));
  EXPECT_TRUE(has_annotation(rec, "waitTime"));
  EXPECT_EQ(annotation(rec, "timeout"), false);
  EXPECT_EQ(annotation(rec, "limits")["timeout"], 60000);
  std::set<std::string> tails;
  for (const auto& line : rec["logs"]) {
    const std::string text = line.get<std::string>();
    EXPECT_EQ(text.find("XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX"), std::string::npos);
    ASSERT_GT(text.size(), 25u);
    EXPECT_EQ(text[4], '-');
    EXPECT_EQ(text[23], 'Z') << text;  // 2026-11-24T23:11:56.893Z
    tails.insert(text.substr(25));
  }
  EXPECT_EQ(tails, (std::set<std::string>{"stdout: to stdout", "stderr: to stderr"}));
}

TEST_F(InvokeE2E, ResultOnlyAndInitParamsInEnv) {
  auto r = invoke({action("env.sh", "echo \"{\\\"k\\\":\\\"$MY_KEY\\\"}\"\n"), "--launch", kLaunch,
                   "--init-param", "MY_KEY=abc", "--result"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_EQ(single_record(r), json({{"k", "abc"}}));
}

TEST_F(InvokeE2E, ApplicationErrorExitsOne) {
  auto r =
      invoke({action("err.sh", "echo '{\"error\":\"boom\",\"extra\":1}'\n"), "--launch", kLaunch});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  json rec = single_record(r);
  EXPECT_EQ(rec["response"]["status"], "application error");
  EXPECT_EQ(rec["response"]["statusCode"], 1);
  EXPECT_EQ(rec["response"]["result"], json({{"error", "boom"}}));
}

TEST_F(InvokeE2E, ArrayIsSuccess) {
  auto r = invoke({action("arr.sh", "echo '[1,2,3]'\n"), "--launch", kLaunch, "--result"});
  EXPECT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_EQ(single_record(r), json::parse("[1,2,3]"));
}

TEST_F(InvokeE2E, NonOkErrorObjectIsDeveloperErrorWithThatError) {
  auto r = invoke({action("bad.sh", "echo 'not json'\n"), "--launch", kLaunch});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  json rec = single_record(r);
  EXPECT_EQ(rec["response"]["status"], "action developer error");
  EXPECT_EQ(rec["response"]["statusCode"], 2);
  EXPECT_EQ(rec["response"]["result"],
            json({{"error", "The action did not return a dictionary or array."}}));
}

TEST_F(InvokeE2E, OtherBodiesAreInvalidResponses) {
  // The fault answers 200 with the action's non-JSON last line as the body.
  auto r = invoke({action("bad.sh", "echo 'plain words'\n"), "--launch",
                   launch_with_fault("non-json-result-accepted")});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  json rec = single_record(r);
  EXPECT_EQ(rec["response"]["status"], "action developer error");
  const std::string error = rec["response"]["result"]["error"];
  const std::string prefix = "The action did not produce a valid JSON or JSON Array response: ";
  EXPECT_EQ(error.rfind(prefix, 0), 0u) << error;
  EXPECT_NE(error.find("plain words"), std::string::npos) << error;
}

TEST_F(InvokeE2E, ConnectionLostDuringRun) {
  auto r =
      invoke({action("ok.sh", "echo '{}'\n"), "--launch", launch_with_fault("exit-during-run")});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  EXPECT_EQ(
      single_record(r)["response"]["result"],
      json({{"error", "The action did not produce a valid response and exited unexpectedly."}}));
}

TEST_F(InvokeE2E, RunTimeout) {
  // A runtime that never answers the /run: the platform's own time limit ends
  // it. (The plain reference runtime stops an action at the `deadline` it was
  // sent and answers first, with its own error.)
  auto r = invoke({action("ok.sh", "echo '{}'\n"), "--launch",
                   launch_with_fault("run-never-answers"), "--timeout", "300"});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  json rec = single_record(r);
  EXPECT_EQ(rec["response"]["status"], "action developer error");
  EXPECT_EQ(rec["response"]["result"],
            json({{"error", "The action exceeded its time limits of 300 milliseconds."}}));
  EXPECT_EQ(annotation(rec, "timeout"), true);
}

TEST_F(InvokeE2E, InitTimeout) {
  auto r = invoke(
      {action("ok.sh", "echo '{}'\n"), "--launch", launch_hostile("silent"), "--timeout", "300"});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  EXPECT_EQ(
      single_record(r)["response"]["result"],
      json({{"error",
             "The action exceeded its time limits of 300 milliseconds during initialization."}}));
}

TEST_F(InvokeE2E, InitFailureMapsToDeveloperError) {
  // An archive without an exec: the runtime refuses the init with an error object.
  std::filesystem::create_directories(tmp_.file("noexec"));
  e2e::write_file(tmp_.file("noexec/readme.txt"), "no exec here");
  auto r = invoke({tmp_.file("noexec"), "--launch", kLaunch});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  json rec = single_record(r);
  EXPECT_EQ(rec["response"]["status"], "action developer error");
  EXPECT_TRUE(rec["response"]["result"]["error"].is_string()) << rec.dump();
  EXPECT_TRUE(has_annotation(rec, "initTime"));
}

TEST_F(InvokeE2E, InitConnectionLost) {
  auto r = invoke({action("ok.sh", "echo '{}'\n"), "--launch", launch_hostile("empty-reply")});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  EXPECT_EQ(single_record(r)["response"]["result"],
            json({{"error", "The action did not initialize and exited unexpectedly."}}));
}

TEST_F(InvokeE2E, ResponseOverOneMebibyteIsTruncated) {
  // A 1.5 MiB result line: {"a":"xxx...x"}.
  auto r = invoke({action("big.sh",
                          "printf '{\"a\":\"'\nhead -c 1572864 /dev/zero | tr '\\0' x\n"
                          "printf '\"}\\n'\n"),
                   "--launch", kLaunch});
  EXPECT_EQ(r.exit_code, 1) << describe(r).substr(0, 2000);
  json rec = single_record(r);
  EXPECT_EQ(rec["response"]["status"], "application error");
  const std::string error = rec["response"]["result"]["error"];
  const std::string expected_start =
      "The action produced a response that exceeded the allowed length: 1572872 > 1048576 bytes. "
      "The truncated response was: {\"a\":\"xxx";
  EXPECT_EQ(error.substr(0, expected_start.size()), expected_start);
  EXPECT_EQ(error.size(), expected_start.size() - 9 + 1048576);
}

TEST_F(InvokeE2E, ChunkedAnswersAreNoResponse) {
  auto r =
      invoke({action("ok.sh", "echo '{}'\n"), "--launch", launch_with_fault("chunked-responses")});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  EXPECT_EQ(single_record(r)["response"]["status"], "action developer error");
}

TEST_F(InvokeE2E, LogsCappedWithTheNotice) {
  auto r = invoke({action("chatty.sh",
                          "i=0\nwhile [ $i -lt 50 ]; do echo line-$i; i=$((i+1)); done\n"
                          "echo '{}'\n"),
                   "--launch", kLaunch, "--log-limit", "100"});
  EXPECT_EQ(r.exit_code, 0) << describe(r);
  json logs = single_record(r)["logs"];
  ASSERT_FALSE(logs.empty());
  const std::string last = logs.back();
  EXPECT_NE(last.find("stderr: Logs were truncated because the total bytes size exceeds the limit "
                      "of 100 bytes."),
            std::string::npos)
      << last;
  EXPECT_LT(logs.size(), 20u);
}

std::set<std::string> lines_of(const std::string& text) {
  std::set<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.insert(line);
  return out;
}

TEST_F(InvokeE2E, RepeatReusesTheWarmInstance) {
  const std::string pids = tmp_.file("pids");
  auto r = invoke({action("pid.sh", "echo $PPID >> \"$PID_FILE\"\necho '{}'\n"), "--launch",
                   kLaunch, "--init-param", "PID_FILE=" + pids, "--repeat", "3"});
  EXPECT_EQ(r.exit_code, 0) << describe(r);
  auto docs = records(r.out);
  ASSERT_EQ(docs.size(), 3u) << describe(r);
  EXPECT_TRUE(has_annotation(docs[0], "initTime"));
  EXPECT_FALSE(has_annotation(docs[1], "initTime"));
  EXPECT_FALSE(has_annotation(docs[2], "initTime"));
  EXPECT_EQ(lines_of(e2e::read_file(pids)).size(), 1u) << e2e::read_file(pids);
}

TEST_F(InvokeE2E, RepeatStartsFreshAfterDeveloperError) {
  const std::string pids = tmp_.file("pids");
  auto r = invoke({action("pid.sh", "echo $PPID >> \"$PID_FILE\"\necho 'not json'\n"), "--launch",
                   kLaunch, "--init-param", "PID_FILE=" + pids, "--repeat", "3"});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  auto docs = records(r.out);
  ASSERT_EQ(docs.size(), 3u) << describe(r);
  for (const auto& doc : docs) {
    EXPECT_EQ(doc["response"]["status"], "action developer error");
    EXPECT_TRUE(has_annotation(doc, "initTime"));
  }
  EXPECT_EQ(lines_of(e2e::read_file(pids)).size(), 3u) << e2e::read_file(pids);
}

TEST_F(InvokeE2E, DirectoryIsZippedOnTheFly) {
  std::filesystem::create_directories(tmp_.file("act"));
  e2e::write_file(tmp_.file("act/exec"),
                  "#!/bin/sh\necho \"{\\\"data\\\":\\\"$(cat data.txt)\\\"}\"\n");
  e2e::write_file(tmp_.file("act/data.txt"), "from the archive");
  ASSERT_EQ(e2e::run_process({"chmod", "755", tmp_.file("act/exec")}, 10s).exit_code, 0);
  auto r = invoke({tmp_.file("act"), "--launch", kLaunch, "--result"});
  EXPECT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_EQ(single_record(r), json({{"data", "from the archive"}}));
}

TEST_F(InvokeE2E, UrlWithoutLogsGivesEmptyLogsAndANote) {
  unsigned short port = 0;
  ASSERT_TRUE(conformance::pick_free_port(&port).ok());
  e2e::BackgroundProcess runtime({kRuntime, "--host", "127.0.0.1", "--port", std::to_string(port),
                                  "--action-dir", tmp_.file("action")});
  ASSERT_TRUE(runtime.started());
  auto r = invoke({action("ok.sh", "echo hi\necho '{\"ok\":true}'\n"), "--url",
                   "http://127.0.0.1:" + std::to_string(port), "--ready-timeout", "10000"});
  EXPECT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_EQ(single_record(r)["logs"], json::array());
  EXPECT_NE(r.err.find("no logs"), std::string::npos) << r.err;
}

TEST_F(InvokeE2E, RuntimeNeverReadyExitsThree) {
  auto r = invoke({action("ok.sh", "echo '{}'\n"), "--launch", "false {port}"});
  EXPECT_EQ(r.exit_code, 3) << describe(r);
  unsigned short port = 0;
  ASSERT_TRUE(conformance::pick_free_port(&port).ok());
  r = invoke({action("ok.sh", "echo '{}'\n"), "--url", "http://127.0.0.1:" + std::to_string(port),
              "--ready-timeout", "200"});
  EXPECT_EQ(r.exit_code, 3) << describe(r);
  EXPECT_TRUE(r.out.empty()) << describe(r);
}

TEST_F(InvokeE2E, UsageErrorsExitTwo) {
  const std::string ok = action("ok.sh", "echo '{}'\n");
  for (const auto& args : std::vector<std::vector<std::string>>{
           {ok},                                             // no target
           {"--launch", kLaunch},                            // no action
           {ok, "--launch", kLaunch, "--url", "http://x"},   // two targets
           {ok, "--launch", kLaunch, "--timeout", "50"},     // below 100 ms
           {ok, "--launch", kLaunch, "--param", "novalue"},  // not K=V
           {tmp_.file("missing.sh"), "--launch", kLaunch},   // no such action
           {ok, "--launch", kLaunch, "--params-file", ok},   // not JSON
           {ok, "--launch", kLaunch, "--repeat", "0"}}) {
    auto r = invoke(args);
    EXPECT_EQ(r.exit_code, 2) << describe(r);
    EXPECT_FALSE(r.err.empty());
  }
  auto help = invoke({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("parses as JSON"), std::string::npos) << help.out;
}

}  // namespace
