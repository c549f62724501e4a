// The normal Executor: one child process per activation.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>
#include <set>

#include "reference_runtime/executor.h"

namespace rr {

// Starts each activation with posix_spawn (own process group, default signal
// dispositions, every inherited descriptor closed except its three pipes,
// cwd set) and watches it on the event loop: a pidfd for its exit, stream
// descriptors for its pipes, a timer for its deadline. Why not Boost.Process
// 1.74: its async exit handling installs a process-wide SIGCHLD handler and
// cannot close inherited descriptors without extra work; posix_spawn plus a
// pidfd is small, reaps exactly our own children and never blocks the loop.
//
// When the main process exits its whole group is killed, so a background
// child holding stdout open cannot stall the answer; if something outside the
// group still holds the pipes, they are abandoned after `drain_timeout`.
// Every child is reaped (no zombies). The destructor kills and reaps any
// activation still running without calling its `done`.
// Not thread-safe: everything runs on `io`.
class ProcessExecutor : public Executor {
 public:
  ProcessExecutor(boost::asio::io_context& io, size_t max_line_bytes,
                  std::chrono::milliseconds drain_timeout);
  ~ProcessExecutor() override;

  void Run(ActivationSpec spec, ActivationLog* log, std::shared_ptr<Cancellation> cancellation,
           ExecDone done) override;
  void KillAll() override;
  size_t running() const override { return activations_.size(); }

 private:
  class Activation;
  boost::asio::io_context& io_;
  size_t max_line_bytes_;
  std::chrono::milliseconds drain_timeout_;
  std::set<std::shared_ptr<Activation>> activations_;
};

}  // namespace rr
