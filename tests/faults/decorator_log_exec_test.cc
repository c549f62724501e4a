// Unit tests of the log-writer and executor fault decorators, on fakes.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "contract/contract_text.h"
#include "reference_runtime/faults/exec_faults.h"
#include "reference_runtime/faults/log_faults.h"
#include "tests/faults/fault_fakes.h"

namespace faults_test {
namespace {

using rr::LogStream;
using rr::faults::ExecFault;
using rr::faults::LogFault;

const std::string kSentinel(contract::kSentinel);

std::vector<std::string> LogOneActivation(LogFault fault) {
  auto recording = std::make_unique<RecordingLogWriter>();
  RecordingLogWriter* events = recording.get();
  rr::faults::FaultyLogWriter writer(std::move(recording), fault);
  auto log = writer.Begin();
  log->Line(LogStream::kStdout, "o1");
  log->Line(LogStream::kStderr, "e1");
  bool written = false;
  log->Finish(true, [&written] { written = true; });
  EXPECT_TRUE(written);
  return events->events;
}

TEST(LogFaultTest, NoStdoutSentinelKeepsOnlyTheStderrOne) {
  EXPECT_EQ(LogOneActivation(LogFault::kNoStdoutSentinel),
            (std::vector<std::string>{"out:o1", "err:e1", "err:" + kSentinel, "end"}));
}

TEST(LogFaultTest, NoStderrSentinelKeepsOnlyTheStdoutOne) {
  EXPECT_EQ(LogOneActivation(LogFault::kNoStderrSentinel),
            (std::vector<std::string>{"out:o1", "err:e1", "out:" + kSentinel, "end"}));
}

TEST(LogFaultTest, SentinelBeforeLogsPutsThemFirst) {
  EXPECT_EQ(LogOneActivation(LogFault::kSentinelBeforeLogs),
            (std::vector<std::string>{"out:" + kSentinel, "err:" + kSentinel, "out:o1", "err:e1",
                                      "end"}));
}

TEST(LogFaultTest, DoubleSentinelAddsAPair) {
  EXPECT_EQ(LogOneActivation(LogFault::kDoubleSentinel),
            (std::vector<std::string>{"out:o1", "err:e1", "out:" + kSentinel, "err:" + kSentinel,
                                      "end+sentinels"}));
}

TEST(LogFaultTest, DroppedStreams) {
  EXPECT_EQ(LogOneActivation(LogFault::kDropStderr),
            (std::vector<std::string>{"out:o1", "end+sentinels"}));
  EXPECT_EQ(LogOneActivation(LogFault::kDropStdout),
            (std::vector<std::string>{"err:e1", "end+sentinels"}));
}

TEST(LogFaultTest, FinishWithoutSentinelsIsLeftAlone) {
  auto recording = std::make_unique<RecordingLogWriter>();
  RecordingLogWriter* events = recording.get();
  rr::faults::FaultyLogWriter writer(std::move(recording), LogFault::kSentinelBeforeLogs);
  auto log = writer.Begin();
  log->Line(LogStream::kStderr, "refused");
  log->Finish(false, nullptr);
  EXPECT_EQ(events->events, (std::vector<std::string>{"err:refused", "end"}));
}

std::string ReadAll(int fd) {
  std::string out;
  char buffer[256];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof buffer)) > 0) out.append(buffer, static_cast<size_t>(n));
  return out;
}

TEST(LogFaultTest, InterleavingWriterWritesOverlappingLinesAsTheyCome) {
  int out_pipe[2];
  int err_pipe[2];
  ASSERT_EQ(pipe(out_pipe), 0);
  ASSERT_EQ(pipe(err_pipe), 0);
  {
    rr::faults::InterleavingLogWriter writer(std::make_unique<RecordingLogWriter>(), out_pipe[1],
                                             err_pipe[1]);
    auto first = writer.Begin();
    auto second = writer.Begin();
    first->Line(LogStream::kStdout, "a1");
    second->Line(LogStream::kStdout, "b1");
    first->Line(LogStream::kStdout, "a2");
    second->Line(LogStream::kStderr, "b-err");
    bool written = false;
    first->Finish(true, [&written] { written = true; });
    EXPECT_TRUE(written);
    second->Finish(true, nullptr);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  EXPECT_EQ(ReadAll(out_pipe[0]), "a1\nb1\na2\n" + kSentinel + "\n" + kSentinel + "\n");
  EXPECT_EQ(ReadAll(err_pipe[0]), "b-err\n" + kSentinel + "\n" + kSentinel + "\n");
  close(out_pipe[0]);
  close(err_pipe[0]);
}

struct ExecHarness {
  explicit ExecHarness(ExecFault fault) {
    auto inner = std::make_unique<RecordingExecutor>();
    recording = inner.get();
    executor = std::make_unique<rr::faults::FaultyExecutor>(std::move(inner), fault);
  }
  void Run(rr::ActivationSpec spec) {
    executor->Run(std::move(spec), log.get(), nullptr,
                  [this](rr::ExecOutcome outcome) { outcomes.push_back(std::move(outcome)); });
  }
  RecordingExecutor* recording;
  std::unique_ptr<rr::faults::FaultyExecutor> executor;
  RecordingLogWriter log_events;
  std::unique_ptr<rr::ActivationLog> log = log_events.Begin();
  std::vector<rr::ExecOutcome> outcomes;
};

rr::ActivationSpec Spec(const std::string& argument) {
  rr::ActivationSpec spec;
  spec.executable = "/action/exec";
  spec.argv = {spec.executable, argument};
  spec.stdin_bytes = argument;
  spec.cwd = "/action";
  spec.env = {"PATH=/bin", "__OW_API_KEY=secret", "__OW_NAMESPACE=one"};
  return spec;
}

TEST(ExecFaultTest, StdinOnlyDropsTheArgvArgument) {
  ExecHarness h(ExecFault::kStdinOnly);
  h.Run(Spec(R"({"a":1})"));
  ASSERT_EQ(h.recording->specs.size(), 1u);
  EXPECT_EQ(h.recording->specs[0].argv, (std::vector<std::string>{"/action/exec"}));
  EXPECT_EQ(h.recording->specs[0].stdin_bytes, R"({"a":1})");
}

TEST(ExecFaultTest, ArgvOnlyEmptiesStdinWhenTheArgumentIsInArgv) {
  ExecHarness h(ExecFault::kArgvOnly);
  h.Run(Spec(R"({"a":1})"));
  EXPECT_EQ(h.recording->specs[0].argv.size(), 2u);
  EXPECT_EQ(h.recording->specs[0].stdin_bytes, "");
}

TEST(ExecFaultTest, LargeArgumentsAreCut) {
  ExecHarness h(ExecFault::kTruncateLarge);
  h.Run(Spec(std::string(rr::faults::kTruncatedArgumentBytes + 10, 'x')));
  h.Run(Spec("small"));
  EXPECT_EQ(h.recording->specs[0].stdin_bytes.size(), rr::faults::kTruncatedArgumentBytes);
  EXPECT_EQ(h.recording->specs[0].argv[1].size(), rr::faults::kTruncatedArgumentBytes);
  EXPECT_EQ(h.recording->specs[1].stdin_bytes, "small");
}

TEST(ExecFaultTest, WrongWorkingDir) {
  ExecHarness h(ExecFault::kWrongWorkingDir);
  h.Run(Spec("{}"));
  EXPECT_EQ(h.recording->specs[0].cwd, "/");
}

TEST(ExecFaultTest, ContextOfAnEarlierRunLeaksIntoALaterOne) {
  ExecHarness h(ExecFault::kContextLeak);
  h.Run(Spec("{}"));
  rr::ActivationSpec second = Spec("{}");
  second.env = {"PATH=/bin", "__OW_NAMESPACE=two"};
  h.Run(second);
  const auto& env = h.recording->specs[1].env;
  EXPECT_NE(std::find(env.begin(), env.end(), "__OW_API_KEY=secret"), env.end());
  EXPECT_NE(std::find(env.begin(), env.end(), "__OW_NAMESPACE=two"), env.end());
  EXPECT_EQ(std::find(env.begin(), env.end(), "__OW_NAMESPACE=one"), env.end());
}

TEST(ExecFaultTest, FirstLineBecomesTheResultAndTheLastIsLogged) {
  ExecHarness h(ExecFault::kFirstLineResult);
  h.Run(Spec("{}"));
  h.recording->Complete({"first", "middle", R"({"last":true})"});
  ASSERT_EQ(h.outcomes.size(), 1u);
  EXPECT_TRUE(h.outcomes[0].has_result_line);
  EXPECT_EQ(h.outcomes[0].result_line, "first");
  EXPECT_EQ(h.log_events.events, (std::vector<std::string>{"out:middle", R"(out:{"last":true})"}));
}

TEST(ExecFaultTest, FirstLineFaultLeavesASingleLineAlone) {
  ExecHarness h(ExecFault::kFirstLineResult);
  h.Run(Spec("{}"));
  h.recording->Complete({R"({"only":1})"});
  ASSERT_EQ(h.outcomes.size(), 1u);
  EXPECT_EQ(h.outcomes[0].result_line, R"({"only":1})");
  EXPECT_TRUE(h.log_events.events.empty());
}

}  // namespace
}  // namespace faults_test
