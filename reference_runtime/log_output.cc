#include "reference_runtime/log_output.h"

#include <poll.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace rr {
namespace {

// Blocks until `line` and a newline are written (or the descriptor fails).
void WriteLineBlocking(int fd, std::string_view line) {
  char newline = '\n';
  iovec parts[2] = {{const_cast<char*>(line.data()), line.size()}, {&newline, 1}};
  size_t index = 0;
  while (index < 2) {
    ssize_t written = writev(fd, parts + index, static_cast<int>(2 - index));
    if (written < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) {  // a non-blocking inherited descriptor
        pollfd wait{fd, POLLOUT, 0};
        poll(&wait, 1, 1000);
        continue;
      }
      return;
    }
    size_t done = static_cast<size_t>(written);
    while (index < 2 && done >= parts[index].iov_len) done -= parts[index++].iov_len;
    if (index < 2) {
      parts[index].iov_base = static_cast<char*>(parts[index].iov_base) + done;
      parts[index].iov_len -= done;
    }
  }
}

}  // namespace

void DirectLogOutput::Append(LogStream stream, std::string_view line) {
  WriteLineBlocking(stream == LogStream::kStdout ? stdout_fd_ : stderr_fd_, line);
}

ThreadedLogOutput::ThreadedLogOutput(int stdout_fd, int stderr_fd, Post post, size_t high_water,
                                     std::chrono::milliseconds flush_limit)
    : stdout_fd_(stdout_fd),
      stderr_fd_(stderr_fd),
      post_(std::move(post)),
      high_water_(high_water),
      flush_limit_(flush_limit),
      thread_([this] { Run(); }) {}

ThreadedLogOutput::~ThreadedLogOutput() {
  std::unique_lock<std::mutex> lock(mutex_);
  stop_ = true;
  changed_.notify_all();
  // A reader that never reads must not hold the runtime's exit hostage.
  if (!changed_.wait_for(lock, flush_limit_, [this] { return finished_; })) abandon_ = true;
  lock.unlock();
  thread_.join();
}

// Fast path, for the usual short line with nothing waiting: written here if
// the descriptor takes it now (one poll, one write), so that the answer
// that waits for it needs no round trip through the thread. The rest of a
// partial write, or a line the descriptor cannot take now, is queued.
void ThreadedLogOutput::Append(LogStream stream, std::string_view line) {
  Item item;
  item.fd = stream == LogStream::kStdout ? stdout_fd_ : stderr_fd_;
  std::lock_guard<std::mutex> lock(mutex_);
  size_t written = 0;
  if (queue_.empty() && !writing_ && line.size() < kDirectLineBytes) {
    written = WriteIfReady(item.fd, line);
    if (written == line.size() + 1) return;
  }
  item.bytes.reserve(line.size() + 1 - written);
  if (written < line.size()) item.bytes.append(line.data() + written, line.size() - written);
  item.bytes.push_back('\n');
  queued_bytes_ += item.bytes.size();
  // Consecutive lines to one descriptor travel together (fewer writes).
  if (!queue_.empty() && queue_.back().fd == item.fd && !queue_.back().done &&
      queue_.back().bytes.size() < (64u << 10)) {
    queue_.back().bytes += item.bytes;
  } else {
    queue_.push_back(std::move(item));
  }
  changed_.notify_all();
}

void ThreadedLogOutput::WhenWritten(std::function<void()> done) {
  Item item;
  item.done = std::move(done);
  std::unique_lock<std::mutex> lock(mutex_);
  if (queue_.empty() && !writing_) {  // all written already
    lock.unlock();
    item.done();
    return;
  }
  queue_.push_back(std::move(item));
  changed_.notify_all();
}

// Bytes of `line` and its newline written without blocking (0 when the
// descriptor is not writable now). Up to PIPE_BUF bytes a writable pipe
// takes whole.
size_t ThreadedLogOutput::WriteIfReady(int fd, std::string_view line) {
  pollfd wait{fd, POLLOUT, 0};
  if (poll(&wait, 1, 0) != 1 || (wait.revents & POLLOUT) == 0) return 0;
  char newline = '\n';
  iovec parts[2] = {{const_cast<char*>(line.data()), line.size()}, {&newline, 1}};
  ssize_t written = -1;
  do {
    written = writev(fd, parts, 2);
  } while (written < 0 && errno == EINTR);
  return written > 0 ? static_cast<size_t>(written) : 0;
}

bool ThreadedLogOutput::Backlogged() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return queued_bytes_ > high_water_;
}

void ThreadedLogOutput::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    changed_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (queue_.empty() || abandon_) break;
    Item item = std::move(queue_.front());
    queue_.pop_front();
    writing_ = true;  // no fast-path write may overtake this item
    lock.unlock();
    if (item.done) {
      post_(std::move(item.done));
    } else if (!WriteFully(item.fd, item.bytes)) {
      lock.lock();
      break;
    }
    lock.lock();
    writing_ = false;
    queued_bytes_ -= item.bytes.size();
  }
  finished_ = true;
  changed_.notify_all();
}

// Waits for the descriptor in short polls so that an abandoning destructor
// is noticed; false when abandoned.
bool ThreadedLogOutput::WriteFully(int fd, const std::string& bytes) {
  size_t offset = 0;
  while (offset < bytes.size()) {
    pollfd wait{fd, POLLOUT, 0};
    const int ready = poll(&wait, 1, 100);
    if (ready == 0 || (ready < 0 && errno == EINTR)) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (abandon_) return false;
      continue;
    }
    // At most a pipe buffer's page at a time: a writable pipe takes it
    // without blocking.
    const size_t chunk = std::min<size_t>(bytes.size() - offset, 4096);
    const ssize_t written = write(fd, bytes.data() + offset, chunk);
    if (written < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return true;  // nowhere to report it: drop the rest of this item
    }
    offset += static_cast<size_t>(written);
  }
  return true;
}

}  // namespace rr
