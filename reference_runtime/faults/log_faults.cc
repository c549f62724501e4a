#include "reference_runtime/faults/log_faults.h"

#include <unistd.h>

#include <cerrno>
#include <string>
#include <utility>
#include <vector>

#include "contract/contract_text.h"

namespace rr::faults {

namespace {

class FaultyLog : public ActivationLog {
 public:
  FaultyLog(std::unique_ptr<ActivationLog> inner, LogFault fault)
      : inner_(std::move(inner)), fault_(fault) {}

  void Line(LogStream stream, std::string_view line) override {
    if (fault_ == LogFault::kDropStderr && stream == LogStream::kStderr) return;
    if (fault_ == LogFault::kDropStdout && stream == LogStream::kStdout) return;
    if (fault_ == LogFault::kSentinelBeforeLogs) {
      // Held back so the sentinels can go first at Finish.
      held_.emplace_back(stream, std::string(line));
      return;
    }
    inner_->Line(stream, line);
  }

  void Finish(bool sentinels, std::function<void()> written) override {
    const std::string_view sentinel = contract::kSentinel;
    if (!sentinels) {
      Replay();
      inner_->Finish(false, std::move(written));
      return;
    }
    // The inner writer's sentinels come as a pair; a single one is written
    // as an ordinary line at the end of the block instead.
    switch (fault_) {
      case LogFault::kNoStdoutSentinel:
        inner_->Line(LogStream::kStderr, sentinel);
        inner_->Finish(false, std::move(written));
        return;
      case LogFault::kNoStderrSentinel:
        inner_->Line(LogStream::kStdout, sentinel);
        inner_->Finish(false, std::move(written));
        return;
      case LogFault::kSentinelBeforeLogs:
        inner_->Line(LogStream::kStdout, sentinel);
        inner_->Line(LogStream::kStderr, sentinel);
        Replay();
        inner_->Finish(false, std::move(written));
        return;
      case LogFault::kDoubleSentinel:
        inner_->Line(LogStream::kStdout, sentinel);
        inner_->Line(LogStream::kStderr, sentinel);
        inner_->Finish(true, std::move(written));
        return;
      case LogFault::kDropStderr:
      case LogFault::kDropStdout:
        inner_->Finish(true, std::move(written));
        return;
    }
  }

 private:
  void Replay() {
    for (const auto& [stream, line] : held_) inner_->Line(stream, line);
    held_.clear();
  }

  std::unique_ptr<ActivationLog> inner_;
  LogFault fault_;
  std::vector<std::pair<LogStream, std::string>> held_;
};

void WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // nowhere to report it
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

class DirectLog : public ActivationLog {
 public:
  DirectLog(int stdout_fd, int stderr_fd) : stdout_fd_(stdout_fd), stderr_fd_(stderr_fd) {}

  void Line(LogStream stream, std::string_view line) override {
    std::string bytes(line);
    bytes += '\n';
    WriteAll(stream == LogStream::kStdout ? stdout_fd_ : stderr_fd_, bytes);
  }

  void Finish(bool sentinels, std::function<void()> written) override {
    if (sentinels) {
      Line(LogStream::kStdout, contract::kSentinel);
      Line(LogStream::kStderr, contract::kSentinel);
    }
    if (written) written();
  }

 private:
  int stdout_fd_;
  int stderr_fd_;
};

}  // namespace

FaultyLogWriter::FaultyLogWriter(std::unique_ptr<LogWriter> inner, LogFault fault)
    : inner_(std::move(inner)), fault_(fault) {}

std::unique_ptr<ActivationLog> FaultyLogWriter::Begin() {
  return std::make_unique<FaultyLog>(inner_->Begin(), fault_);
}

InterleavingLogWriter::InterleavingLogWriter(std::unique_ptr<LogWriter> inner, int stdout_fd,
                                             int stderr_fd)
    : inner_(std::move(inner)), stdout_fd_(stdout_fd), stderr_fd_(stderr_fd) {}

std::unique_ptr<ActivationLog> InterleavingLogWriter::Begin() {
  return std::make_unique<DirectLog>(stdout_fd_, stderr_fd_);
}

}  // namespace rr::faults
