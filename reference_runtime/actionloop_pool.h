// The Executor of `--actionloop`: activations go to long-lived actionloop
// processes, one activation per process at a time.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <vector>

#include "reference_runtime/actionloop_process.h"
#include "reference_runtime/executor.h"

namespace rr {

// Up to `size` processes of the same action. Run() sends the activation's
// `stdin_bytes` (one JSON line) to an idle process; when all are busy it
// starts another one (up to `size`) or queues the activation, so two
// activations never share a pipe. A process that died is started again for
// the next activation that needs it (with the same ack rule as at /init); if
// that fails the activation ends kSpawnFailed with the reason. `deadline`
// and cancellation kill the activation's process (or drop it from the
// queue). `spec.argv`, `env` and `cwd` are ignored: the process got its
// environment at start (Start()). A process beyond the first that stays idle
// for `idle_limit` is ended, so a pool shrinks back to one process when the
// load that grew it is gone.
// Not thread-safe: one event loop.
class ActionLoopPool : public Executor {
 public:
  ActionLoopPool(boost::asio::io_context& io, LogWriter* logs, size_t max_line_bytes, size_t size,
                 std::chrono::milliseconds idle_limit = std::chrono::seconds(30));
  ~ActionLoopPool() override;

  // Replaces every process by one started from `launch` (the /init step);
  // `started` gets its start result (the ack handshake).
  void Start(LoopLaunch launch, bool wait_for_ack, std::function<void(ow::Status)> started);
  bool has_action() const { return has_launch_; }

  void Run(ActivationSpec spec, ActivationLog* log, std::shared_ptr<Cancellation> cancellation,
           ExecDone done) override;
  void KillAll() override;
  size_t running() const override;

 private:
  struct Pending;
  void Dispatch();
  void StartSlot(size_t index);
  void Finish(const std::shared_ptr<Pending>& pending, ExecOutcome outcome);
  void Abandon(const std::shared_ptr<Pending>& pending, ExecOutcome::End reason);
  size_t LiveProcesses() const;
  void ArmShrink();
  void Shrink();

  boost::asio::io_context& io_;
  LogWriter* logs_;
  size_t max_line_bytes_;
  LoopLaunch launch_;
  bool wait_for_ack_ = false;
  bool has_launch_ = false;
  std::vector<std::shared_ptr<LoopProcess>> slots_;                // null: never started
  std::vector<std::chrono::steady_clock::time_point> idle_since_;  // per slot
  std::chrono::milliseconds idle_limit_;
  boost::asio::steady_timer shrink_timer_;
  bool shrink_armed_ = false;
  std::deque<std::shared_ptr<Pending>> queue_;
  size_t busy_ = 0;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace rr
