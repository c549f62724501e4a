#include "reference_runtime/activation_log.h"

#include <poll.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <utility>
#include <vector>

#include "contract/contract_text.h"

namespace rr {

struct SentinelLogWriter::Entry {
  std::FILE* spool = nullptr;  // lazily created; records: stream, length, bytes
  bool finished = false;
  bool sentinels = false;
  std::function<void()> written;
  ~Entry() {
    if (spool != nullptr) std::fclose(spool);
  }
};

class SentinelLogWriter::Handle : public ActivationLog {
 public:
  Handle(SentinelLogWriter* writer, Entry* entry)
      : writer_(writer), alive_(writer->alive_), entry_(entry) {}
  ~Handle() override {
    // A log dropped without Finish still releases the floor.
    if (usable()) writer_->Finish(entry_, false, nullptr);
  }
  void Line(LogStream stream, std::string_view line) override {
    if (usable()) writer_->Write(entry_, stream, line);
  }
  void Finish(bool sentinels, std::function<void()> written) override {
    if (!usable()) return;
    writer_->Finish(std::exchange(entry_, nullptr), sentinels, std::move(written));
  }

 private:
  // Logs may outlive the writer at shutdown (held by abandoned callbacks).
  bool usable() const { return entry_ != nullptr && !alive_.expired(); }

  SentinelLogWriter* writer_;
  std::weak_ptr<int> alive_;
  Entry* entry_;
};

SentinelLogWriter::SentinelLogWriter(int stdout_fd, int stderr_fd)
    : stdout_fd_(stdout_fd), stderr_fd_(stderr_fd) {}

SentinelLogWriter::~SentinelLogWriter() = default;

std::unique_ptr<ActivationLog> SentinelLogWriter::Begin() {
  entries_.push_back(std::make_unique<Entry>());
  Entry* entry = entries_.back().get();
  if (floor_ == nullptr) floor_ = entry;
  return std::make_unique<Handle>(this, entry);
}

void SentinelLogWriter::Write(Entry* entry, LogStream stream, std::string_view line) {
  if (entry == floor_) {
    WriteLine(stream, line);
    return;
  }
  if (entry->spool == nullptr) entry->spool = std::tmpfile();
  if (entry->spool == nullptr) return;  // no temp space: the line is lost
  const uint8_t tag = stream == LogStream::kStdout ? 1 : 2;
  const uint64_t size = line.size();
  std::fwrite(&tag, 1, 1, entry->spool);
  std::fwrite(&size, sizeof(size), 1, entry->spool);
  std::fwrite(line.data(), 1, line.size(), entry->spool);
}

void SentinelLogWriter::WriteLine(LogStream stream, std::string_view line) {
  const int fd = stream == LogStream::kStdout ? stdout_fd_ : stderr_fd_;
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

void SentinelLogWriter::Replay(Entry* entry) {
  if (entry->spool == nullptr) return;
  std::rewind(entry->spool);
  std::vector<char> buffer;
  uint8_t tag = 0;
  uint64_t size = 0;
  while (std::fread(&tag, 1, 1, entry->spool) == 1 &&
         std::fread(&size, sizeof(size), 1, entry->spool) == 1) {
    buffer.resize(size);
    if (size > 0 && std::fread(buffer.data(), 1, size, entry->spool) != size) break;
    WriteLine(tag == 1 ? LogStream::kStdout : LogStream::kStderr,
              std::string_view(buffer.data(), buffer.size()));
  }
  std::fclose(entry->spool);
  entry->spool = nullptr;
}

void SentinelLogWriter::Finish(Entry* entry, bool sentinels, std::function<void()> written) {
  entry->finished = true;
  entry->sentinels = sentinels;
  entry->written = std::move(written);
  if (entry != floor_) {
    finished_.push_back(entry);
    return;
  }
  Complete(entry);
  floor_ = nullptr;
  Advance();
}

// Writes the entry's sentinels, forgets it and reports it written.
void SentinelLogWriter::Complete(Entry* entry) {
  if (entry->sentinels) {
    WriteLine(LogStream::kStdout, contract::kSentinel);
    WriteLine(LogStream::kStderr, contract::kSentinel);
  }
  std::function<void()> written = std::move(entry->written);
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->get() == entry) {
      entries_.erase(it);
      break;
    }
  }
  if (written) written();
}

void SentinelLogWriter::Advance() {
  while (floor_ == nullptr) {
    if (!finished_.empty()) {
      Entry* entry = finished_.front();
      finished_.pop_front();
      floor_ = entry;  // so that nothing else writes meanwhile
      Replay(entry);
      Complete(entry);
      floor_ = nullptr;
      continue;
    }
    for (auto& entry : entries_) {
      if (!entry->finished) {
        floor_ = entry.get();
        Replay(floor_);
        break;
      }
    }
    return;
  }
}

}  // namespace rr
