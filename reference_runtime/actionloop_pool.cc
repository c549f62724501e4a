#include "reference_runtime/actionloop_pool.h"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <utility>

namespace rr {

namespace asio = boost::asio;
using boost::system::error_code;

struct ActionLoopPool::Pending {
  explicit Pending(asio::io_context& io) : deadline_timer(io) {}
  std::string line;
  ActivationLog* log = nullptr;
  ExecDone done;
  asio::steady_timer deadline_timer;
  std::shared_ptr<LoopProcess> process;  // set once dispatched
  bool finished = false;
};

ActionLoopPool::ActionLoopPool(asio::io_context& io, LogWriter* logs, size_t max_line_bytes,
                               size_t size, std::chrono::milliseconds idle_limit)
    : io_(io),
      logs_(logs),
      max_line_bytes_(max_line_bytes),
      slots_(std::max<size_t>(size, 1)),
      idle_since_(slots_.size()),
      idle_limit_(idle_limit),
      shrink_timer_(io) {}

ActionLoopPool::~ActionLoopPool() {
  for (auto& slot : slots_) {
    if (slot) slot->Close();
  }
}

void ActionLoopPool::Start(LoopLaunch launch, bool wait_for_ack,
                           std::function<void(ow::Status)> started) {
  for (auto& slot : slots_) {
    if (slot) slot->Close();
    slot.reset();
  }
  launch_ = std::move(launch);
  wait_for_ack_ = wait_for_ack;
  has_launch_ = false;
  auto process = std::make_shared<LoopProcess>(io_, logs_, max_line_bytes_);
  slots_[0] = process;
  std::weak_ptr<int> alive = alive_;
  process->Start(launch_, wait_for_ack_,
                 [this, alive, started = std::move(started)](ow::Status status) {
                   if (alive.expired()) return;
                   has_launch_ = status.ok();
                   started(status);
                   Dispatch();
                 });
}

void ActionLoopPool::Run(ActivationSpec spec, ActivationLog* log,
                         std::shared_ptr<Cancellation> cancellation, ExecDone done) {
  auto pending = std::make_shared<Pending>(io_);
  pending->line = std::move(spec.stdin_bytes);
  pending->log = log;
  pending->done = std::move(done);
  std::weak_ptr<int> alive = alive_;
  std::weak_ptr<Pending> weak = pending;
  if (spec.deadline) {
    pending->deadline_timer.expires_after(std::chrono::duration_cast<std::chrono::milliseconds>(
        *spec.deadline - std::chrono::system_clock::now()));
    pending->deadline_timer.async_wait([this, alive, weak](const error_code& error) {
      auto held = weak.lock();
      if (!error && held && !alive.expired()) Abandon(held, ExecOutcome::End::kDeadline);
    });
  }
  queue_.push_back(pending);
  if (cancellation) {
    cancellation->OnCancel([this, alive, weak] {
      auto held = weak.lock();
      if (held && !alive.expired()) Abandon(held, ExecOutcome::End::kCancelled);
    });
  }
  Dispatch();
}

// Queued: answered at once. Running: its process is killed (and answers).
void ActionLoopPool::Abandon(const std::shared_ptr<Pending>& pending, ExecOutcome::End reason) {
  if (pending->finished) return;
  if (pending->process) {
    pending->process->Kill(reason);
    return;
  }
  queue_.erase(std::remove(queue_.begin(), queue_.end(), pending), queue_.end());
  ExecOutcome outcome;
  outcome.end = reason;
  Finish(pending, std::move(outcome));
}

void ActionLoopPool::Finish(const std::shared_ptr<Pending>& pending, ExecOutcome outcome) {
  pending->finished = true;
  pending->deadline_timer.cancel();
  if (pending->process) --busy_;
  pending->process.reset();
  if (auto done = std::exchange(pending->done, nullptr)) done(std::move(outcome));
}

void ActionLoopPool::Dispatch() {
  using State = LoopProcess::State;
  size_t starting = 0;
  for (auto& slot : slots_) {
    if (slot && slot->state() == State::kStarting) ++starting;
  }
  for (size_t index = 0; index < slots_.size() && !queue_.empty(); ++index) {
    auto& slot = slots_[index];
    if (slot && slot->state() == State::kIdle) {
      std::shared_ptr<Pending> pending = queue_.front();
      queue_.pop_front();
      pending->process = slot;
      ++busy_;
      std::weak_ptr<int> alive = alive_;
      slot->Interact(pending->line, pending->log,
                     [this, alive, pending, index](ExecOutcome outcome) {
                       if (alive.expired()) return;
                       idle_since_[index] = std::chrono::steady_clock::now();
                       Finish(pending, std::move(outcome));
                       Dispatch();
                       ArmShrink();
                     });
      pending->line.clear();
      pending->line.shrink_to_fit();
    }
  }
  if (!has_launch_) return;
  // Still waiting: start (or restart) processes, one per waiting activation.
  for (size_t index = 0; index < slots_.size() && queue_.size() > starting; ++index) {
    auto& slot = slots_[index];
    if (!slot || slot->state() == State::kDead) {
      StartSlot(index);
      ++starting;
    }
  }
}

void ActionLoopPool::StartSlot(size_t index) {
  if (slots_[index]) slots_[index]->Close();
  auto process = std::make_shared<LoopProcess>(io_, logs_, max_line_bytes_);
  slots_[index] = process;
  idle_since_[index] = std::chrono::steady_clock::now();
  std::weak_ptr<int> alive = alive_;
  process->Start(launch_, wait_for_ack_, [this, alive](ow::Status status) {
    if (alive.expired()) return;
    if (!status.ok() && !queue_.empty()) {
      // The activation that asked for this process learns why it failed.
      std::shared_ptr<Pending> pending = queue_.front();
      queue_.pop_front();
      ExecOutcome outcome;
      outcome.end = ExecOutcome::End::kSpawnFailed;
      outcome.error = "cannot start action: " + status.message();
      Finish(pending, std::move(outcome));
    }
    Dispatch();
  });
}

// Idle processes are left alone (the destructor ends them): only
// activations are stopped.
void ActionLoopPool::KillAll() {
  while (!queue_.empty()) Abandon(queue_.front(), ExecOutcome::End::kCancelled);
  for (auto& slot : slots_) {
    if (slot && slot->state() == LoopProcess::State::kBusy)
      slot->Kill(ExecOutcome::End::kCancelled);
  }
}

size_t ActionLoopPool::running() const { return busy_ + queue_.size(); }

size_t ActionLoopPool::LiveProcesses() const {
  return static_cast<size_t>(std::count_if(slots_.begin(), slots_.end(), [](const auto& slot) {
    return slot && slot->state() != LoopProcess::State::kDead;
  }));
}

void ActionLoopPool::ArmShrink() {
  if (shrink_armed_ || LiveProcesses() <= 1) return;
  shrink_armed_ = true;
  std::weak_ptr<int> alive = alive_;
  shrink_timer_.expires_after(idle_limit_);
  shrink_timer_.async_wait([this, alive](const error_code& error) {
    if (error || alive.expired()) return;
    shrink_armed_ = false;
    Shrink();
  });
}

// Ends processes idle for idle_limit_, the last slots first, keeping one
// live process (the one /init started, if it still runs).
void ActionLoopPool::Shrink() {
  const auto now = std::chrono::steady_clock::now();
  size_t live = LiveProcesses();
  for (size_t index = slots_.size(); index-- > 0 && live > 1;) {
    auto& slot = slots_[index];
    if (!slot || slot->state() != LoopProcess::State::kIdle) continue;
    if (now - idle_since_[index] < idle_limit_) continue;
    slot->Close();
    slot.reset();
    --live;
  }
  ArmShrink();
}

}  // namespace rr
