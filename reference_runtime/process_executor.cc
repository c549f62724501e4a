#include "reference_runtime/process_executor.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <utility>

#include "reference_runtime/line_splitter.h"
#include "reference_runtime/spawn.h"

namespace rr {

namespace asio = boost::asio;
using boost::system::error_code;

class ProcessExecutor::Activation : public std::enable_shared_from_this<Activation> {
 public:
  Activation(ProcessExecutor* owner, ActivationLog* log, ExecDone done, size_t max_line_bytes)
      : owner_(owner),
        log_(log),
        done_(std::move(done)),
        stdout_pipe_(owner->io_),
        stderr_pipe_(owner->io_),
        stdin_pipe_(owner->io_),
        exit_watch_(owner->io_),
        deadline_timer_(owner->io_),
        drain_timer_(owner->io_),
        stdout_lines_(true, max_line_bytes,
                      [this](std::string_view line) { log_->Line(LogStream::kStdout, line); }),
        stderr_lines_(false, max_line_bytes,
                      [this](std::string_view line) { log_->Line(LogStream::kStderr, line); }) {}

  void Start(const SpawnedProcess& process, uint64_t sweep_id, std::string stdin_bytes,
             const std::optional<std::chrono::system_clock::time_point>& deadline) {
    pid_ = process.pid;
    sweep_id_ = sweep_id;
    stdout_pipe_.assign(process.stdout_fd);
    stderr_pipe_.assign(process.stderr_fd);
    stdin_pipe_.assign(process.stdin_fd);
    exit_watch_.assign(process.pidfd);
    stdin_bytes_ = std::move(stdin_bytes);
    auto self = shared_from_this();
    WaitForExit();
    Read(&stdout_pipe_, &stdout_buffer_, &stdout_lines_, &stdout_open_);
    Read(&stderr_pipe_, &stderr_buffer_, &stderr_lines_, &stderr_open_);
    // Written asynchronously: an action that never reads stdin cannot block
    // the loop, and a closed pipe (EPIPE) just ends the write.
    asio::async_write(stdin_pipe_, asio::buffer(stdin_bytes_), [self](const error_code&, size_t) {
      error_code ignored;
      self->stdin_pipe_.close(ignored);
      self->stdin_bytes_.clear();
      self->stdin_bytes_.shrink_to_fit();
    });
    if (deadline) {
      const auto remaining = *deadline - std::chrono::system_clock::now();
      deadline_timer_.expires_after(
          std::chrono::duration_cast<std::chrono::milliseconds>(remaining));
      deadline_timer_.async_wait([self](const error_code& error) {
        if (!error) self->Kill(ExecOutcome::End::kDeadline);
      });
    }
  }

  void Kill(ExecOutcome::End reason) {
    if (exited_) return;
    if (!killed_) {
      killed_ = true;
      reason_ = reason;
    }
    kill(-pid_, SIGKILL);
  }

 private:
  void Read(asio::posix::stream_descriptor* pipe, std::array<char, 65536>* buffer,
            LineSplitter* lines, bool* open) {
    auto self = shared_from_this();
    pipe->async_read_some(asio::buffer(*buffer),
                          [self, pipe, buffer, lines, open](const error_code& error, size_t size) {
                            if (size > 0) lines->Feed(std::string_view(buffer->data(), size));
                            if (error || !pipe->is_open()) {
                              lines->Finish();
                              *open = false;
                              error_code ignored;
                              pipe->close(ignored);
                              self->MaybeComplete();
                              return;
                            }
                            self->Read(pipe, buffer, lines, open);
                          });
  }

  // Readiness of the pidfd can be reported spuriously (seen under load with
  // descriptor numbers being reused), so the exit is confirmed with waitid
  // (WNOWAIT: the zombie stays for OnExit) before anything is killed.
  void WaitForExit() {
    auto self = shared_from_this();
    exit_watch_.async_wait(
        asio::posix::stream_descriptor::wait_read, [self](const error_code& error) {
          if (error == asio::error::operation_aborted) return;
          siginfo_t info{};
          const int result =
              waitid(P_PID, static_cast<id_t>(self->pid_), &info, WEXITED | WNOHANG | WNOWAIT);
          if (result == 0 && info.si_pid == 0) return self->WaitForExit();
          self->OnExit();
        });
  }

  void OnExit() {
    // The child is a zombie now, so its pid (the group id) is still ours:
    // take down whatever it left behind in its group, then reap it.
    kill(-pid_, SIGKILL);
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    wait_status_ = status;
    exited_ = true;
    // Whatever escaped the group is ended by the sweeper.
    if (owner_->sweeper_) owner_->sweeper_->End(sweep_id_);
    error_code ignored;
    exit_watch_.close(ignored);
    deadline_timer_.cancel();
    if (stdout_open_ || stderr_open_) {
      auto self = shared_from_this();
      drain_timer_.expires_after(owner_->drain_timeout_);
      drain_timer_.async_wait([self](const error_code& error) {
        if (error) return;
        error_code close_error;
        self->stdout_pipe_.close(close_error);
        self->stderr_pipe_.close(close_error);
      });
    }
    MaybeComplete();
  }

  void MaybeComplete() {
    if (!exited_ || stdout_open_ || stderr_open_ || completed_) return;
    completed_ = true;
    drain_timer_.cancel();
    error_code ignored;
    stdin_pipe_.close(ignored);
    ExecOutcome outcome;
    outcome.end = killed_ ? reason_ : ExecOutcome::End::kExited;
    if (WIFEXITED(wait_status_)) outcome.exit_code = WEXITSTATUS(wait_status_);
    if (WIFSIGNALED(wait_status_)) outcome.term_signal = WTERMSIG(wait_status_);
    outcome.has_result_line = stdout_lines_.has_last_line();
    outcome.result_line = stdout_lines_.last_line();
    outcome.result_line_overlong = stdout_lines_.last_line_overlong();
    ExecDone done = std::move(done_);
    auto self = shared_from_this();
    owner_->activations_.erase(self);
    // Report from a fresh handler: the caller may start new work.
    asio::post(owner_->io_, [done = std::move(done), outcome = std::move(outcome)]() mutable {
      done(std::move(outcome));
    });
  }

  ProcessExecutor* owner_;
  ActivationLog* log_;
  ExecDone done_;
  pid_t pid_ = -1;
  uint64_t sweep_id_ = 0;
  asio::posix::stream_descriptor stdout_pipe_;
  asio::posix::stream_descriptor stderr_pipe_;
  asio::posix::stream_descriptor stdin_pipe_;
  asio::posix::stream_descriptor exit_watch_;
  asio::steady_timer deadline_timer_;
  asio::steady_timer drain_timer_;
  std::array<char, 65536> stdout_buffer_;
  std::array<char, 65536> stderr_buffer_;
  LineSplitter stdout_lines_;
  LineSplitter stderr_lines_;
  std::string stdin_bytes_;
  bool stdout_open_ = true;
  bool stderr_open_ = true;
  bool exited_ = false;
  bool killed_ = false;
  bool completed_ = false;
  ExecOutcome::End reason_ = ExecOutcome::End::kExited;
  int wait_status_ = 0;

  friend class ProcessExecutor;
};

// One spawn in progress on the pool. The spawner thread fills `process` and
// `status` and then posts the adoption (which orders those writes before it);
// everything else is touched on `io` only.
struct ProcessExecutor::PendingSpawn {
  ActivationSpec spec;
  ActivationLog* log = nullptr;
  std::shared_ptr<Cancellation> cancellation;
  ExecDone done;
  bool killed = false;  // KillAll ran meanwhile
  bool spawned = false;
  uint64_t sweep_id = 0;
  SpawnedProcess process;
  ow::Status status;
};

namespace {

void KillAndReap(const SpawnedProcess& process) {
  kill(-process.pid, SIGKILL);
  while (waitpid(process.pid, nullptr, 0) < 0 && errno == EINTR) {
  }
  for (int fd : {process.pidfd, process.stdin_fd, process.stdout_fd, process.stderr_fd}) {
    if (fd >= 0) close(fd);
  }
}

// Enough parallel spawns to keep a few cores busy; each thread mostly sleeps
// in posix_spawn waiting for its child's exec.
constexpr size_t kSpawnThreads = 4;

}  // namespace

ProcessExecutor::ProcessExecutor(asio::io_context& io, size_t max_line_bytes,
                                 std::chrono::milliseconds drain_timeout, bool contain_orphans)
    : io_(io),
      max_line_bytes_(max_line_bytes),
      drain_timeout_(drain_timeout),
      sweeper_(contain_orphans ? std::make_unique<OrphanSweeper>(io) : nullptr),
      spawner_(kSpawnThreads) {}

ProcessExecutor::~ProcessExecutor() {
  // Spawns not yet started are dropped; those under way finish first.
  spawner_.stop();
  spawner_.join();
  for (const auto& pending : pending_) {
    if (pending->spawned) KillAndReap(pending->process);
  }
  pending_.clear();
  for (const auto& activation : activations_) {
    if (activation->exited_) continue;
    kill(-activation->pid_, SIGKILL);
    waitpid(activation->pid_, nullptr, 0);
    activation->exited_ = true;
  }
  activations_.clear();
}

void ProcessExecutor::Run(ActivationSpec spec, ActivationLog* log,
                          std::shared_ptr<Cancellation> cancellation, ExecDone done) {
  auto pending = std::make_shared<PendingSpawn>();
  pending->spec = std::move(spec);
  pending->log = log;
  pending->cancellation = std::move(cancellation);
  pending->done = std::move(done);
  if (sweeper_) pending->sweep_id = sweeper_->Begin();
  pending_.insert(pending);
  std::weak_ptr<int> alive = alive_;
  // The loop has work until the child is adopted (io.run() must not return).
  auto work = asio::make_work_guard(io_);
  asio::post(spawner_, [this, pending, alive, work] {
    pending->status = SpawnProcess(pending->spec, &pending->process);
    pending->spawned = pending->status.ok();
    // After the executor is gone its destructor has reaped the child.
    asio::post(io_, [this, pending, alive] {
      if (!alive.expired()) Adopt(pending);
    });
  });
}

void ProcessExecutor::Adopt(const std::shared_ptr<PendingSpawn>& pending) {
  if (pending_.erase(pending) == 0) return;
  if (!pending->spawned) {
    if (sweeper_) sweeper_->End(pending->sweep_id);
    ExecOutcome outcome;
    outcome.end = ExecOutcome::End::kSpawnFailed;
    outcome.error = pending->status.message();
    pending->done(std::move(outcome));
    return;
  }
  auto activation =
      std::make_shared<Activation>(this, pending->log, std::move(pending->done), max_line_bytes_);
  activations_.insert(activation);
  if (sweeper_) sweeper_->SetMainPid(pending->sweep_id, pending->process.pid);
  activation->Start(pending->process, pending->sweep_id, std::move(pending->spec.stdin_bytes),
                    pending->spec.deadline);
  if (pending->killed) activation->Kill(ExecOutcome::End::kCancelled);
  if (pending->cancellation) {
    // Runs at once if the client went away while the child was spawning.
    std::weak_ptr<Activation> weak = activation;
    pending->cancellation->OnCancel([weak] {
      if (auto alive = weak.lock()) alive->Kill(ExecOutcome::End::kCancelled);
    });
  }
}

void ProcessExecutor::KillAll() {
  for (const auto& pending : pending_) pending->killed = true;
  for (const auto& activation : activations_) activation->Kill(ExecOutcome::End::kCancelled);
}

}  // namespace rr
