// One long-lived actionloop process: the action's `exec`, started once and
// fed one activation at a time (the Go proxy's openwhisk/executor.go).
#pragma once

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <string>

#include "common/status.h"
#include "reference_runtime/actionloop_spawn.h"
#include "reference_runtime/activation_log.h"
#include "reference_runtime/executor.h"
#include "reference_runtime/line_splitter.h"

namespace rr {

// The protocol, as executor.go speaks it:
//  - Start: spawn with the result pipe as fd 3. With `wait_for_ack` the first
//    line on fd 3 must be a JSON object with "ok": true (else the start fails
//    with "The action did not initialize properly."; exiting first fails with
//    "Command exited abruptly during initialization."). Without it the start
//    fails only if the process exits within 5 ms (DefaultTimeoutStart).
//  - Interact: the activation is one line on stdin; the next line on fd 3 is
//    its result (ExecOutcome::result_line). Lines the process writes to
//    stdout/stderr go to the activation's log; what was written before the
//    result line is drained before the answer, so it all precedes the
//    activation's sentinels. Output between activations is logged on its own
//    (no sentinels), and fd 3 lines nobody asked for are dropped with a note,
//    so extra lines written with a result do not shift later results (the
//    Go proxy would answer each later activation with the previous one's
//    line); one written after the next activation was sent is taken as its
//    result (the protocol has no ids).
//  - The process exiting (or closing fd 3) during an activation ends it with
//    End::kExited, no result line and `error` "command exited"; the process
//    is then dead for good (state kDead) and its group killed.
// Not thread-safe: one event loop. Owned through shared_ptr (handlers keep it
// alive); Close() or the destructor kills and reaps the process.
class LoopProcess : public std::enable_shared_from_this<LoopProcess> {
 public:
  enum class State { kNew, kStarting, kIdle, kBusy, kDead };
  using Started = std::function<void(ow::Status)>;

  LoopProcess(boost::asio::io_context& io, LogWriter* logs, size_t max_line_bytes);
  ~LoopProcess();

  void Start(const LoopLaunch& launch, bool wait_for_ack, Started started);
  // Only when idle. `log` must stay valid until `done`, which is posted.
  void Interact(std::string line, ActivationLog* log, ExecDone done);
  // Kills the process group; a running activation ends with `reason`.
  void Kill(ExecOutcome::End reason);
  // Kills, reaps and closes everything now, without calling back.
  void Close();

  State state() const { return state_; }
  pid_t pid() const { return pid_; }

 private:
  void ReadLog(boost::asio::posix::stream_descriptor* pipe, std::array<char, 16384>* buffer,
               LineSplitter* lines);
  void ReadResults();
  void WaitForExit();
  void OnExit();
  void FeedResults(std::string_view bytes);
  void OnResultLine(std::string line);
  void OnAckTimeout();
  void DrainLogs();
  void EmitLine(LogStream stream, std::string_view line);
  void Answer(ExecOutcome outcome);
  void DeliverAnswer();
  void FailStart(const std::string& reason);

  boost::asio::io_context& io_;
  LogWriter* logs_;
  State state_ = State::kNew;
  pid_t pid_ = -1;
  bool wait_for_ack_ = false;
  bool reaped_ = false;
  ExecOutcome::End kill_reason_ = ExecOutcome::End::kExited;
  boost::asio::posix::stream_descriptor stdin_pipe_;
  boost::asio::posix::stream_descriptor stdout_pipe_;
  boost::asio::posix::stream_descriptor stderr_pipe_;
  boost::asio::posix::stream_descriptor result_pipe_;
  boost::asio::posix::stream_descriptor exit_watch_;
  boost::asio::steady_timer start_timer_;
  std::array<char, 16384> stdout_buffer_;
  std::array<char, 16384> stderr_buffer_;
  std::array<char, 16384> result_buffer_;
  LineSplitter stdout_lines_;
  LineSplitter stderr_lines_;
  size_t max_line_bytes_;
  std::string result_partial_;
  bool skipping_overlong_ = false;
  std::string input_;
  ActivationLog* log_ = nullptr;
  ExecDone done_;
  bool in_result_handler_ = false;
  std::function<void()> answer_;  // found by the running fd 3 read
  Started started_;
};

}  // namespace rr
