// ActivationRunner with a fake transport, target and clock: init retries
// (C4.1), no run retries, warm reuse and fresh instances (C4.5), logs (C4.6).
#include "conformance/invoke/activation_runner.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/fake_runtime_target.h"
#include "tests/support/fake_transport.h"
#include "tests/support/manual_clock.h"

namespace {

using conformance::ActivationRecord;
using conformance::ActivationStatus;
using conformance::TransportError;
using nlohmann::json;
using std::chrono::milliseconds;
using testing_support::FakeRuntimeTarget;
using testing_support::FakeTransport;
using testing_support::ManualClock;

conformance::InvokeSettings settings() {
  conformance::InvokeSettings s;
  s.code = conformance::ActionCode{"act", false, "#!/bin/sh\n"};
  s.value = json{{"n", 1}};
  s.limit = milliseconds(1000);
  s.sentinel_wait = milliseconds(0);
  return s;
}

struct Fixture {
  explicit Fixture(bool with_logs = false) : target(true, with_logs) {}
  FakeRuntimeTarget target;
  FakeTransport transport;
  ManualClock clock;
};

TEST(ActivationRunner, ColdThenWarm) {
  Fixture f;
  f.transport.set_fallback("/init", FakeTransport::response(200, "OK"));
  f.transport.set_fallback("/run", FakeTransport::response(200, R"({"ok":1})"));
  conformance::ActivationRunner runner(&f.target, &f.transport, &f.clock, settings());
  ActivationRecord first, second;
  ASSERT_TRUE(runner.invoke(&first).ok());
  ASSERT_TRUE(runner.invoke(&second).ok());
  EXPECT_EQ(first.response.status, ActivationStatus::kSuccess);
  EXPECT_EQ(second.response.result, json({{"ok", 1}}));
  EXPECT_TRUE(first.init_time_ms.has_value());
  EXPECT_FALSE(second.init_time_ms.has_value());
  EXPECT_EQ(runner.instances_started(), 1u);
  EXPECT_EQ(f.transport.count("/init"), 1u);
  EXPECT_EQ(f.transport.count("/run"), 2u);
  EXPECT_NE(first.context.activation_id, second.context.activation_id);
  // The run body carried the value and the record's context.
  json run_body = json::parse(f.transport.requests().back().body);
  EXPECT_EQ(run_body["value"], json({{"n", 1}}));
  EXPECT_EQ(run_body["activation_id"], second.context.activation_id);
}

TEST(ActivationRunner, InitRetriedWhileRefusedRunNeverRetried) {
  Fixture f;
  f.transport.script("/init", FakeTransport::failure(TransportError::kRefused));
  f.transport.script("/init", FakeTransport::failure(TransportError::kRefused));
  f.transport.set_fallback("/init", FakeTransport::response(200, "OK"));
  f.transport.set_fallback("/run", FakeTransport::failure(TransportError::kConnectionLost));
  conformance::ActivationRunner runner(&f.target, &f.transport, &f.clock, settings());
  ActivationRecord rec;
  ASSERT_TRUE(runner.invoke(&rec).ok());
  EXPECT_EQ(f.transport.count("/init"), 3u);
  EXPECT_EQ(f.clock.sleeps(), (std::vector<milliseconds>{milliseconds(100), milliseconds(100)}));
  EXPECT_EQ(f.transport.count("/run"), 1u);
  EXPECT_EQ(
      rec.response.result,
      json({{"error", "The action did not produce a valid response and exited unexpectedly."}}));
}

TEST(ActivationRunner, InitRefusedUntilTheLimitIsAnInitTimeout) {
  Fixture f;
  f.transport.set_fallback("/init", FakeTransport::failure(TransportError::kRefused));
  conformance::ActivationRunner runner(&f.target, &f.transport, &f.clock, settings());
  ActivationRecord rec;
  ASSERT_TRUE(runner.invoke(&rec).ok());
  EXPECT_EQ(f.transport.count("/run"), 0u);
  EXPECT_EQ(f.transport.count("/init"), 10u);  // 1000 ms limit, every 100 ms
  EXPECT_TRUE(rec.response.timed_out);
  EXPECT_EQ(rec.response.result["error"],
            "The action exceeded its time limits of 1000 milliseconds during initialization.");
}

TEST(ActivationRunner, FreshInstanceAfterDeveloperErrorWarmAfterApplicationError) {
  Fixture f;
  f.transport.set_fallback("/init", FakeTransport::response(200, "OK"));
  f.transport.script("/run", FakeTransport::response(200, R"({"error":"app"})"));
  f.transport.script("/run", FakeTransport::response(200, R"({"ok":1})"));
  f.transport.script("/run", FakeTransport::response(502, R"({"error":"dev"})"));
  f.transport.script("/run", FakeTransport::failure(TransportError::kTimeout));
  f.transport.set_fallback("/run", FakeTransport::response(200, R"([])"));
  conformance::ActivationRunner runner(&f.target, &f.transport, &f.clock, settings());
  std::vector<ActivationStatus> statuses;
  std::vector<bool> cold;
  for (int i = 0; i < 5; ++i) {
    ActivationRecord rec;
    ASSERT_TRUE(runner.invoke(&rec).ok());
    statuses.push_back(rec.response.status);
    cold.push_back(rec.init_time_ms.has_value());
  }
  EXPECT_EQ(statuses, (std::vector<ActivationStatus>{
                          ActivationStatus::kApplicationError, ActivationStatus::kSuccess,
                          ActivationStatus::kDeveloperError, ActivationStatus::kDeveloperError,
                          ActivationStatus::kSuccess}));
  // app error and success keep the instance; dev error and timeout replace it.
  EXPECT_EQ(cold, (std::vector<bool>{true, false, false, true, true}));
  EXPECT_EQ(runner.instances_started(), 3u);
  auto instances = f.target.instances();
  ASSERT_EQ(instances.size(), 3u);
  EXPECT_EQ(instances[0]->stops, 0 + 1);  // stopped after the developer error
  EXPECT_EQ(instances[1]->stops, 1);      // after the timeout
}

TEST(ActivationRunner, FailedInitEndsTheActivationAndTheInstance) {
  Fixture f;
  f.transport.set_fallback("/init", FakeTransport::response(502, R"({"error":"no exec"})"));
  conformance::ActivationRunner runner(&f.target, &f.transport, &f.clock, settings());
  ActivationRecord rec;
  ASSERT_TRUE(runner.invoke(&rec).ok());
  EXPECT_EQ(rec.response.status, ActivationStatus::kDeveloperError);
  EXPECT_EQ(rec.response.result, json({{"error", "no exec"}}));
  EXPECT_EQ(f.transport.count("/run"), 0u);
  ASSERT_TRUE(runner.invoke(&rec).ok());
  EXPECT_EQ(runner.instances_started(), 2u);
}

TEST(ActivationRunner, StartFailureIsAnError) {
  Fixture f;
  f.target.fail_next_start("never became ready within 10 ms");
  conformance::ActivationRunner runner(&f.target, &f.transport, &f.clock, settings());
  ActivationRecord rec;
  ow::Status s = runner.invoke(&rec);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("never became ready"), std::string::npos);
  EXPECT_EQ(f.transport.requests().size(), 0u);
}

TEST(ActivationRunner, LogsUpToTheSentinelsWithoutThem) {
  Fixture f(/*with_logs=*/true);
  f.transport.set_handler([&](const std::string& base_url, const conformance::HttpRequest& r) {
    if (r.path == "/init") return FakeTransport::response(200, "OK");
    auto state = f.target.instance_for(base_url);
    state->logs.append(conformance::Stream::kStdout,
                       "hello\nXXX_THE_END_OF_A_WHISK_ACTIVATION_XXX\n");
    state->logs.append(conformance::Stream::kStderr,
                       "oops\nXXX_THE_END_OF_A_WHISK_ACTIVATION_XXX\n");
    return FakeTransport::response(200, "{}");
  });
  conformance::ActivationRunner runner(&f.target, &f.transport, &f.clock, settings());
  ActivationRecord rec;
  ASSERT_TRUE(runner.invoke(&rec).ok());
  ASSERT_EQ(rec.logs.size(), 2u);
  EXPECT_NE(rec.logs[0].find(" stdout: hello"), std::string::npos);
  EXPECT_NE(rec.logs[1].find(" stderr: oops"), std::string::npos);
  EXPECT_TRUE(runner.take_notes().empty());
}

TEST(ActivationRunner, NoLogStreamGivesEmptyLogsAndOneNote) {
  Fixture f(/*with_logs=*/false);
  f.transport.set_fallback("/init", FakeTransport::response(200, "OK"));
  f.transport.set_fallback("/run", FakeTransport::response(200, "{}"));
  conformance::ActivationRunner runner(&f.target, &f.transport, &f.clock, settings());
  ActivationRecord rec;
  ASSERT_TRUE(runner.invoke(&rec).ok());
  ASSERT_TRUE(runner.invoke(&rec).ok());
  EXPECT_TRUE(rec.logs.empty());
  auto notes = runner.take_notes();
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("no logs"), std::string::npos);
}

}  // namespace

namespace {

TEST(ActivationRunnerReplacement, ADeadRuntimeIsReplacedBeforeTheNextActivation) {
  FakeRuntimeTarget target(true, false);
  FakeTransport transport;
  ManualClock clock;
  transport.set_fallback("/init", FakeTransport::response(200, "OK"));
  transport.set_fallback("/run", FakeTransport::response(200, "{}"));
  conformance::ActivationRunner runner(&target, &transport, &clock, settings());
  ActivationRecord rec;
  ASSERT_TRUE(runner.invoke(&rec).ok());
  target.instances().front()->exited = true;  // the runtime died after a success
  ASSERT_TRUE(runner.invoke(&rec).ok());
  EXPECT_EQ(rec.response.status, ActivationStatus::kSuccess);
  EXPECT_TRUE(rec.init_time_ms.has_value());
  EXPECT_EQ(runner.instances_started(), 2u);
}

}  // namespace
