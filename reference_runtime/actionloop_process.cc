#include "reference_runtime/actionloop_process.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <nlohmann/json.hpp>
#include <utility>

namespace rr {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {
// executor.go's DefaultTimeoutStart: without an ack, a process still alive
// this long after its start counts as started.
constexpr std::chrono::milliseconds kStartWithoutAck{5};
constexpr char kCommandExited[] = "command exited";
}  // namespace

LoopProcess::LoopProcess(asio::io_context& io, LogWriter* logs, size_t max_line_bytes)
    : io_(io),
      logs_(logs),
      stdin_pipe_(io),
      stdout_pipe_(io),
      stderr_pipe_(io),
      result_pipe_(io),
      exit_watch_(io),
      start_timer_(io),
      stdout_lines_(false, max_line_bytes,
                    [this](std::string_view line) { EmitLine(LogStream::kStdout, line); }),
      stderr_lines_(false, max_line_bytes,
                    [this](std::string_view line) { EmitLine(LogStream::kStderr, line); }),
      max_line_bytes_(max_line_bytes) {}

LoopProcess::~LoopProcess() { Close(); }

void LoopProcess::Close() {
  if (pid_ > 0 && !reaped_) {
    kill(-pid_, SIGKILL);
    while (waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
  }
  state_ = State::kDead;
  done_ = nullptr;
  answer_ = nullptr;
  started_ = nullptr;
  log_ = nullptr;
  error_code ignored;
  for (auto* pipe : {&stdin_pipe_, &stdout_pipe_, &stderr_pipe_, &result_pipe_, &exit_watch_})
    pipe->close(ignored);
  start_timer_.cancel();
}

void LoopProcess::Start(const LoopLaunch& launch, bool wait_for_ack, Started started) {
  started_ = std::move(started);
  wait_for_ack_ = wait_for_ack;
  state_ = State::kStarting;
  LoopPipes pipes;
  ow::Status status = SpawnLoopProcess(launch, &pipes);
  if (!status.ok()) {
    // exec.Cmd.Start failing: "command exited" in the Go proxy.
    FailStart(std::string(kCommandExited) + " (cannot start " + launch.executable + ": " +
              status.message() + ")");
    return;
  }
  pid_ = pipes.pid;
  stdin_pipe_.assign(pipes.stdin_fd);
  stdout_pipe_.assign(pipes.stdout_fd);
  stderr_pipe_.assign(pipes.stderr_fd);
  result_pipe_.assign(pipes.result_fd);
  exit_watch_.assign(pipes.pidfd);
  WaitForExit();
  ReadLog(&stdout_pipe_, &stdout_buffer_, &stdout_lines_);
  ReadLog(&stderr_pipe_, &stderr_buffer_, &stderr_lines_);
  ReadResults();
  if (!wait_for_ack_) {
    auto self = shared_from_this();
    start_timer_.expires_after(kStartWithoutAck);
    start_timer_.async_wait([self](const error_code& error) {
      if (error || self->state_ != State::kStarting) return;
      self->state_ = State::kIdle;
      if (auto callback = std::exchange(self->started_, nullptr)) callback(ow::Status::Ok());
    });
  }
}

void LoopProcess::FailStart(const std::string& reason) {
  Kill(ExecOutcome::End::kExited);
  state_ = State::kDead;
  if (auto started = std::exchange(started_, nullptr)) {
    asio::post(io_, [started, reason] { started(ow::Status::Error(reason)); });
  }
}

void LoopProcess::Interact(std::string line, ActivationLog* log, ExecDone done) {
  state_ = State::kBusy;
  log_ = log;
  done_ = std::move(done);
  input_ = std::move(line);
  input_.push_back('\n');
  // Most lines fit in the pipe: written here at once (the descriptor is
  // non-blocking), without a completion to schedule. The rest, if any, goes
  // asynchronously: a process that stops reading cannot block the loop; a
  // broken pipe just ends the write (its exit answers the activation).
  ssize_t written = -1;
  do {
    written = write(stdin_pipe_.native_handle(), input_.data(), input_.size());
  } while (written < 0 && errno == EINTR);
  if (written == static_cast<ssize_t>(input_.size())) return;
  if (written < 0 && errno != EAGAIN) return;
  const size_t offset = written > 0 ? static_cast<size_t>(written) : 0;
  auto self = shared_from_this();
  asio::async_write(stdin_pipe_, asio::buffer(input_.data() + offset, input_.size() - offset),
                    [self](const error_code&, size_t) {});
}

void LoopProcess::Kill(ExecOutcome::End reason) {
  if (pid_ <= 0 || reaped_) return;
  if (kill_reason_ == ExecOutcome::End::kExited) kill_reason_ = reason;
  kill(-pid_, SIGKILL);
}

void LoopProcess::EmitLine(LogStream stream, std::string_view line) {
  if (log_ != nullptr) {
    log_->Line(stream, line);
    return;
  }
  // Output outside any activation (start-up, between runs): logged at once,
  // without sentinels, never inside another activation's block.
  std::unique_ptr<ActivationLog> loose = logs_->Begin();
  loose->Line(stream, line);
  loose->Finish(false, nullptr);
}

void LoopProcess::ReadLog(asio::posix::stream_descriptor* pipe, std::array<char, 16384>* buffer,
                          LineSplitter* lines) {
  auto self = shared_from_this();
  pipe->async_read_some(asio::buffer(*buffer),
                        [self, pipe, buffer, lines](const error_code& error, size_t size) {
                          if (error == asio::error::operation_aborted || !pipe->is_open()) return;
                          if (size > 0) lines->Feed(std::string_view(buffer->data(), size));
                          if (error) {
                            lines->Finish();
                            error_code ignored;
                            pipe->close(ignored);
                            return;
                          }
                          self->ReadLog(pipe, buffer, lines);
                        });
}

void LoopProcess::ReadResults() {
  auto self = shared_from_this();
  result_pipe_.async_read_some(
      asio::buffer(result_buffer_), [self](const error_code& error, size_t size) {
        if (error == asio::error::operation_aborted || !self->result_pipe_.is_open()) return;
        self->in_result_handler_ = true;
        self->FeedResults(std::string_view(self->result_buffer_.data(), size));
        self->in_result_handler_ = false;
        if (self->result_pipe_.is_open()) {
          if (!error) {
            self->ReadResults();
          } else {
            // fd 3 closed: the process can never answer again.
            error_code ignored;
            self->result_pipe_.close(ignored);
            self->Kill(ExecOutcome::End::kExited);
          }
        }
        self->DeliverAnswer();
      });
}

// Cuts fd 3 into lines. A line longer than the limit is answered as
// overlong at once and the rest of it skipped up to its newline.
void LoopProcess::FeedResults(std::string_view bytes) {
  while (!bytes.empty()) {
    const size_t newline = bytes.find('\n');
    const std::string_view piece = bytes.substr(0, newline);
    if (!skipping_overlong_) result_partial_.append(piece);
    if (result_partial_.size() > max_line_bytes_) {
      result_partial_.resize(max_line_bytes_ + 1);  // marks it overlong
      OnResultLine(std::exchange(result_partial_, std::string()));
      skipping_overlong_ = true;
    }
    if (newline == std::string_view::npos) return;
    bytes.remove_prefix(newline + 1);
    if (std::exchange(skipping_overlong_, false)) continue;
    OnResultLine(std::exchange(result_partial_, std::string()));
  }
}

void LoopProcess::OnResultLine(std::string line) {
  if (state_ == State::kStarting && wait_for_ack_) {
    nlohmann::json ack = nlohmann::json::parse(line, nullptr, false);
    if (ack.is_object() && ack.value("ok", nlohmann::json()) == nlohmann::json(true)) {
      state_ = State::kIdle;
      if (auto started = std::exchange(started_, nullptr)) {
        asio::post(io_, [started] { started(ow::Status::Ok()); });
      }
      return;
    }
    EmitLine(LogStream::kStderr, "The acknowledgement on fd 3 was: " + line);
    FailStart("The action did not initialize properly.");
    return;
  }
  if (state_ != State::kBusy) {
    EmitLine(LogStream::kStderr,
             "Dropped a line the action wrote on fd 3 outside an activation: " + line);
    return;
  }
  DrainLogs();
  ExecOutcome outcome;
  outcome.end = ExecOutcome::End::kExited;
  outcome.has_result_line = true;
  outcome.result_line_overlong = line.size() > max_line_bytes_;
  outcome.result_line = std::move(line);
  state_ = State::kIdle;
  Answer(std::move(outcome));
}

// Everything the process wrote before its result line is already in the
// pipes: read it now so that it lands in this activation's block.
// One poll finds the pipes that hold something (usually none).
void LoopProcess::DrainLogs() {
  std::array<char, 16384> chunk;
  pollfd ready[2] = {{stdout_pipe_.is_open() ? stdout_pipe_.native_handle() : -1, POLLIN, 0},
                     {stderr_pipe_.is_open() ? stderr_pipe_.native_handle() : -1, POLLIN, 0}};
  while (poll(ready, 2, 0) < 0 && errno == EINTR) {
  }
  size_t index = 0;
  for (auto [pipe, lines] :
       {std::pair{&stdout_pipe_, &stdout_lines_}, std::pair{&stderr_pipe_, &stderr_lines_}}) {
    const short events = ready[index++].revents;
    if (!pipe->is_open()) continue;
    if (events == 0) {
      lines->Finish();  // a partial last line is still this activation's
      continue;
    }
    for (;;) {
      const ssize_t size = read(pipe->native_handle(), chunk.data(), chunk.size());
      if (size > 0) {
        lines->Feed(std::string_view(chunk.data(), static_cast<size_t>(size)));
        continue;
      }
      if (size < 0 && errno == EINTR) continue;
      break;
    }
    lines->Finish();  // a partial last line is still this activation's
  }
}

// An answer found while reading fd 3 is delivered once the read is over
// (DeliverAnswer), so that the rest of that read is judged as outside the
// activation (and the next activation, maybe sent from `done`, starts
// clean) without a round through the event loop; any other is posted.
void LoopProcess::Answer(ExecOutcome outcome) {
  log_ = nullptr;
  auto done = std::exchange(done_, nullptr);
  if (!done) return;
  if (in_result_handler_) {
    answer_ = [done, outcome = std::move(outcome)]() mutable { done(std::move(outcome)); };
    return;
  }
  asio::post(io_, [done, outcome = std::move(outcome)]() mutable { done(std::move(outcome)); });
}

void LoopProcess::DeliverAnswer() {
  if (auto answer = std::exchange(answer_, nullptr)) answer();
}

// Readiness of a pidfd can be reported spuriously, so the exit is confirmed
// with waitid (WNOWAIT keeps the zombie, and so the group id, for OnExit).
void LoopProcess::WaitForExit() {
  auto self = shared_from_this();
  exit_watch_.async_wait(
      asio::posix::stream_descriptor::wait_read, [self](const error_code& error) {
        if (error || self->reaped_) return;
        siginfo_t info{};
        const int result =
            waitid(P_PID, static_cast<id_t>(self->pid_), &info, WEXITED | WNOHANG | WNOWAIT);
        if (result == 0 && info.si_pid == 0) return self->WaitForExit();
        self->OnExit();
      });
}

void LoopProcess::OnExit() {
  kill(-pid_, SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  // A result written just before exiting still counts.
  std::array<char, 16384> chunk;
  for (;;) {
    const ssize_t size = read(result_pipe_.native_handle(), chunk.data(), chunk.size());
    if (size <= 0) break;
    FeedResults(std::string_view(chunk.data(), static_cast<size_t>(size)));
  }
  DrainLogs();
  std::string detail = WIFSIGNALED(status) ? "killed by signal " + std::to_string(WTERMSIG(status))
                                           : "exit code " + std::to_string(WEXITSTATUS(status));
  if (state_ == State::kStarting) {
    EmitLine(LogStream::kStderr, "The action's process ended during its start (" + detail + ").");
    FailStart(wait_for_ack_ ? "Command exited abruptly during initialization." : kCommandExited);
  } else if (state_ == State::kBusy) {
    EmitLine(LogStream::kStderr,
             "The action's process ended during the activation (" + detail + ").");
    ExecOutcome outcome;
    outcome.end = kill_reason_;
    if (WIFEXITED(status)) outcome.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) outcome.term_signal = WTERMSIG(status);
    outcome.error = kCommandExited;
    Answer(std::move(outcome));
  } else if (state_ == State::kIdle) {
    EmitLine(LogStream::kStderr, "The action's process ended between activations (" + detail +
                                     "); the next activation starts it again.");
  }
  state_ = State::kDead;
  log_ = nullptr;
  error_code ignored;
  for (auto* pipe : {&stdin_pipe_, &stdout_pipe_, &stderr_pipe_, &result_pipe_, &exit_watch_})
    pipe->close(ignored);
}

}  // namespace rr
