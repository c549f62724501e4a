// Where SentinelLogWriter's bytes go: the runtime's own stdout and stderr.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "reference_runtime/activation_log.h"

namespace rr {

// Writes lines to two descriptors, in the order they were appended.
class LogOutput {
 public:
  virtual ~LogOutput() = default;
  // Appends `line` and a newline.
  virtual void Append(LogStream stream, std::string_view line) = 0;
  // Runs `done` once everything appended so far has been written (maybe
  // before returning).
  virtual void WhenWritten(std::function<void()> done) = 0;
  // True when so much is waiting that callers should hold back.
  virtual bool Backlogged() const = 0;
};

// Blocking writes on the caller's thread (tests; tools).
class DirectLogOutput : public LogOutput {
 public:
  DirectLogOutput(int stdout_fd, int stderr_fd) : stdout_fd_(stdout_fd), stderr_fd_(stderr_fd) {}
  void Append(LogStream stream, std::string_view line) override;
  void WhenWritten(std::function<void()> done) override { done(); }
  bool Backlogged() const override { return false; }

 private:
  int stdout_fd_;
  int stderr_fd_;
};

// Writes on a thread of its own, so a slow reader of the runtime's output
// never blocks the event loop (connections, deadlines, SIGTERM); a short
// line with nothing queued goes straight out when the descriptor can take
// it at once, and WhenWritten with nothing queued runs `done` at once. `post`
// moves WhenWritten callbacks back to the loop. Memory is bounded by the
// caller: Backlogged() says when more than `high_water` bytes wait. The
// destructor lets the thread flush for up to `flush_limit`, then abandons
// what is left.
class ThreadedLogOutput : public LogOutput {
 public:
  using Post = std::function<void(std::function<void()>)>;
  ThreadedLogOutput(int stdout_fd, int stderr_fd, Post post, size_t high_water = 1u << 20,
                    std::chrono::milliseconds flush_limit = std::chrono::milliseconds(2000));
  ~ThreadedLogOutput() override;
  void Append(LogStream stream, std::string_view line) override;
  void WhenWritten(std::function<void()> done) override;
  bool Backlogged() const override;

 private:
  struct Item {
    int fd = -1;
    std::string bytes;
    std::function<void()> done;
  };
  static constexpr size_t kDirectLineBytes = 4000;  // under PIPE_BUF with its newline
  void Run();
  bool WriteFully(int fd, const std::string& bytes);
  static size_t WriteIfReady(int fd, std::string_view line);

  int stdout_fd_;
  int stderr_fd_;
  Post post_;
  size_t high_water_;
  std::chrono::milliseconds flush_limit_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Item> queue_;
  size_t queued_bytes_ = 0;
  bool writing_ = false;  // the thread holds an item it took from the queue
  bool stop_ = false;
  bool abandon_ = false;
  bool finished_ = false;
  std::thread thread_;
};

}  // namespace rr
