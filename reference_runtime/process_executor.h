// The normal Executor: one child process per activation.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <memory>
#include <set>

#include "reference_runtime/executor.h"
#include "reference_runtime/orphan_sweeper.h"

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
// Every child is reaped (no zombies). Descendants that left the group
// (setsid, double fork) are reparented to the runtime and ended by an
// OrphanSweeper once their activation has ended. The destructor kills and
// reaps any activation still running without calling its `done`.
//
// posix_spawn (vfork) suspends its calling thread until the child has
// exec'ed, which on a loaded machine takes about a millisecond per child; done
// on `io` that serialised every activation. So the spawn itself runs on a
// small pool of spawner threads and the new child is adopted on `io`.
// Not thread-safe: the public methods must be called on `io`'s thread.
class ProcessExecutor : public Executor {
 public:
  // `contain_orphans`: make the runtime a subreaper and sweep escaped
  // descendants (OrphanSweeper). Only for an executor that starts every
  // child of the runtime: the sweep ends any child it does not know.
  ProcessExecutor(boost::asio::io_context& io, size_t max_line_bytes,
                  std::chrono::milliseconds drain_timeout, bool contain_orphans = true);
  ~ProcessExecutor() override;

  void Run(ActivationSpec spec, ActivationLog* log, std::shared_ptr<Cancellation> cancellation,
           ExecDone done) override;
  void KillAll() override;
  size_t running() const override { return activations_.size() + pending_.size(); }

 private:
  class Activation;
  struct PendingSpawn;
  void Adopt(const std::shared_ptr<PendingSpawn>& pending);

  boost::asio::io_context& io_;
  size_t max_line_bytes_;
  std::chrono::milliseconds drain_timeout_;
  std::set<std::shared_ptr<Activation>> activations_;
  std::set<std::shared_ptr<PendingSpawn>> pending_;  // spawning on spawner_
  std::unique_ptr<OrphanSweeper> sweeper_;           // destroyed after the activations are reaped
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
  boost::asio::thread_pool spawner_;  // last: joined first on destruction
};

}  // namespace rr
