// ProcessExecutor: real children (no network, no sleeping in the test), with
// the spawn on its thread pool and the adoption on the event loop: overlapping
// activations all finish, and a kill, a cancel or the executor's end that
// comes while a child is still being spawned is not lost.
#include "reference_runtime/process_executor.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <boost/asio/io_context.hpp>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <optional>
#include <string>
#include <vector>

#include "tests/runtime/test_files.h"

namespace {

using rr::ExecOutcome;
using rr::LogStream;

class RecordingLog : public rr::ActivationLog {
 public:
  void Line(LogStream, std::string_view line) override { lines.emplace_back(line); }
  void Finish(bool, std::function<void()> written) override {
    if (written) written();
  }
  std::vector<std::string> lines;
};

rr::ActivationSpec ShellSpec(const std::string& cwd, const std::string& script) {
  rr::ActivationSpec spec;
  spec.executable = "/bin/sh";
  spec.argv = {"/bin/sh", "-c", script};
  spec.cwd = cwd;
  spec.env = {"PATH=/usr/bin:/bin"};
  return spec;
}

constexpr auto kBound = std::chrono::seconds(20);  // a hang fails, never blocks ctest

TEST(ProcessExecutorTest, OverlappingActivationsAllFinishWithTheirOwnResults) {
  rr_test::TempDir dir;
  boost::asio::io_context io;
  rr::ProcessExecutor executor(io, 1 << 20, std::chrono::milliseconds(2000));
  constexpr int kCount = 8;
  std::vector<RecordingLog> logs(kCount);
  std::vector<std::optional<ExecOutcome>> outcomes(kCount);
  for (int i = 0; i < kCount; ++i) {
    const std::string n = std::to_string(i);
    executor.Run(ShellSpec(dir.path(), "echo log" + n + "; echo result" + n), &logs[i], nullptr,
                 [&outcomes, i](ExecOutcome outcome) { outcomes[i] = std::move(outcome); });
  }
  // Children still being spawned count as running (the drain waits for them).
  EXPECT_EQ(executor.running(), static_cast<size_t>(kCount));
  io.run_for(kBound);
  EXPECT_EQ(executor.running(), 0u);
  for (int i = 0; i < kCount; ++i) {
    const std::string n = std::to_string(i);
    ASSERT_TRUE(outcomes[i].has_value()) << i;
    EXPECT_EQ(outcomes[i]->end, ExecOutcome::End::kExited);
    EXPECT_EQ(outcomes[i]->exit_code, 0);
    EXPECT_EQ(outcomes[i]->result_line, "result" + n);
    EXPECT_EQ(logs[i].lines, std::vector<std::string>{"log" + n});
  }
}

TEST(ProcessExecutorTest, KillAllWhileSpawningCancelsTheChild) {
  rr_test::TempDir dir;
  boost::asio::io_context io;
  rr::ProcessExecutor executor(io, 1 << 20, std::chrono::milliseconds(2000));
  RecordingLog log;
  std::optional<ExecOutcome> outcome;
  executor.Run(ShellSpec(dir.path(), "exec sleep 60"), &log, nullptr,
               [&outcome](ExecOutcome done) { outcome = std::move(done); });
  executor.KillAll();  // before the loop has adopted the child
  io.run_for(kBound);
  ASSERT_TRUE(outcome.has_value());
  EXPECT_EQ(outcome->end, ExecOutcome::End::kCancelled);
  EXPECT_EQ(outcome->term_signal, SIGKILL);
}

TEST(ProcessExecutorTest, CancellationWhileSpawningCancelsTheChild) {
  rr_test::TempDir dir;
  boost::asio::io_context io;
  rr::ProcessExecutor executor(io, 1 << 20, std::chrono::milliseconds(2000));
  RecordingLog log;
  auto cancellation = std::make_shared<rr::Cancellation>();
  std::optional<ExecOutcome> outcome;
  executor.Run(ShellSpec(dir.path(), "exec sleep 60"), &log, cancellation,
               [&outcome](ExecOutcome done) { outcome = std::move(done); });
  cancellation->Cancel();
  io.run_for(kBound);
  ASSERT_TRUE(outcome.has_value());
  EXPECT_EQ(outcome->end, ExecOutcome::End::kCancelled);
}

TEST(ProcessExecutorTest, DestroyedWhileSpawningLeavesNoChildAndCallsNothing) {
  rr_test::TempDir dir;
  boost::asio::io_context io;
  RecordingLog log;
  bool called = false;
  {
    rr::ProcessExecutor executor(io, 1 << 20, std::chrono::milliseconds(2000));
    executor.Run(ShellSpec(dir.path(), "exec sleep 60"), &log, nullptr,
                 [&called](ExecOutcome) { called = true; });
  }
  io.run_for(kBound);  // the posted adoption, if any, must do nothing now
  EXPECT_FALSE(called);
  errno = 0;
  EXPECT_EQ(waitpid(-1, nullptr, WNOHANG), -1);  // every child was reaped
  EXPECT_EQ(errno, ECHILD);
}

TEST(ProcessExecutorTest, MissingExecutableIsASpawnFailure) {
  rr_test::TempDir dir;
  boost::asio::io_context io;
  rr::ProcessExecutor executor(io, 1 << 20, std::chrono::milliseconds(2000));
  RecordingLog log;
  std::optional<ExecOutcome> outcome;
  rr::ActivationSpec spec = ShellSpec(dir.path(), "");
  spec.executable = dir.path() + "/no-such-exec";
  spec.argv = {spec.executable};
  executor.Run(std::move(spec), &log, nullptr,
               [&outcome](ExecOutcome done) { outcome = std::move(done); });
  io.run_for(kBound);
  ASSERT_TRUE(outcome.has_value());
  EXPECT_EQ(outcome->end, ExecOutcome::End::kSpawnFailed);
  EXPECT_NE(outcome->error.find("No such file or directory"), std::string::npos) << outcome->error;
  // The message reaches the client: no path of the server in it.
  EXPECT_EQ(outcome->error.find(dir.path()), std::string::npos) << outcome->error;
  EXPECT_EQ(executor.running(), 0u);
}

}  // namespace
