#include "reference_runtime/activation_log.h"

#include <unistd.h>

#include <cstring>
#include <utility>
#include <vector>

#include "contract/contract_text.h"
#include "reference_runtime/log_output.h"

namespace rr {

namespace {
constexpr size_t kSpoolBufferBytes = 64u << 10;  // records kept before a file write
constexpr size_t kReplayChunkBytes = 1u << 20;   // read back per step
constexpr size_t kRecordHeader = 1 + sizeof(uint32_t);
}  // namespace

// A spool holds records: stream tag (1 byte), length (4 bytes), bytes.
struct SentinelLogWriter::Entry {
  std::FILE* spool = nullptr;  // lazily created
  uint64_t spooled = 0;        // bytes in the file
  uint64_t replayed = 0;       // of those, already passed on
  std::string buffer;          // records not yet in the file
  uint64_t dropped = 0;        // line bytes refused over the spool limit
  bool finished = false;
  bool sentinels = false;
  std::function<void()> written;
  bool backlog() const { return replayed < spooled || !buffer.empty(); }
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

namespace {

bool FlushSpool(std::FILE** spool, uint64_t* spooled, std::string* buffer) {
  if (buffer->empty()) return true;
  if (*spool == nullptr) *spool = std::tmpfile();
  if (*spool == nullptr) return false;
  const int fd = fileno(*spool);
  size_t offset = 0;
  while (offset < buffer->size()) {
    const ssize_t written = pwrite(fd, buffer->data() + offset, buffer->size() - offset,
                                   static_cast<off_t>(*spooled + offset));
    if (written <= 0) return false;
    offset += static_cast<size_t>(written);
  }
  *spooled += buffer->size();
  buffer->clear();
  return true;
}

}  // namespace

SentinelLogWriter::SentinelLogWriter(int stdout_fd, int stderr_fd, uint64_t spool_limit)
    : SentinelLogWriter(std::make_unique<DirectLogOutput>(stdout_fd, stderr_fd), spool_limit) {}

SentinelLogWriter::SentinelLogWriter(std::unique_ptr<LogOutput> output, uint64_t spool_limit)
    : output_(std::move(output)), spool_limit_(spool_limit) {}

SentinelLogWriter::~SentinelLogWriter() = default;

std::unique_ptr<ActivationLog> SentinelLogWriter::Begin() {
  entries_.push_back(std::make_unique<Entry>());
  Entry* entry = entries_.back().get();
  if (floor_ == nullptr && !pumping_ && finished_.empty()) floor_ = entry;
  return std::make_unique<Handle>(this, entry);
}

void SentinelLogWriter::Write(Entry* entry, LogStream stream, std::string_view line) {
  if (entry == floor_ && !entry->backlog() && !output_->Backlogged()) {
    output_->Append(stream, line);
    return;
  }
  const uint64_t size = kRecordHeader + line.size();
  if (entry->spooled + entry->buffer.size() + size > spool_limit_) {
    entry->dropped += line.size() + 1;
    return;
  }
  entry->buffer.push_back(stream == LogStream::kStdout ? 1 : 2);
  const auto length = static_cast<uint32_t>(line.size());
  entry->buffer.append(reinterpret_cast<const char*>(&length), sizeof(length));
  entry->buffer.append(line.data(), line.size());
  if (entry->buffer.size() >= kSpoolBufferBytes &&
      !FlushSpool(&entry->spool, &entry->spooled, &entry->buffer)) {
    entry->dropped += entry->buffer.size();  // no temp space: the lines are lost
    entry->buffer.clear();
  }
  if (entry == floor_) Pump();
}

void SentinelLogWriter::Finish(Entry* entry, bool sentinels, std::function<void()> written) {
  entry->finished = true;
  entry->sentinels = sentinels;
  entry->written = std::move(written);
  if (entry != floor_) {
    finished_.push_back(entry);
    if (floor_ == nullptr) Pump();
    return;
  }
  Pump();
}

// Moves the floor forward as far as the output allows. Re-entrant calls
// (from `written` callbacks) only ask the running loop for another round.
void SentinelLogWriter::Pump() {
  if (pumping_) {
    pump_again_ = true;
    return;
  }
  pumping_ = true;
  do {
    pump_again_ = false;
    if (floor_ == nullptr) ChooseFloor();
    while (floor_ != nullptr && PumpOnce()) ChooseFloor();
  } while (pump_again_);
  pumping_ = false;
}

// Passes on the floor holder's backlog; true when it finished and was
// completed (the floor is free), false when it must wait (still running, or
// the output is backlogged: then Pump runs again once the output caught up).
bool SentinelLogWriter::PumpOnce() {
  Entry* entry = floor_;
  while (entry->backlog()) {
    if (output_->Backlogged()) {
      if (!waiting_for_output_) {
        waiting_for_output_ = true;
        std::weak_ptr<int> alive = alive_;
        output_->WhenWritten([this, alive] {
          if (alive.expired()) return;
          waiting_for_output_ = false;
          Pump();
        });
      }
      return false;
    }
    if (entry->replayed == entry->spooled) {  // only the buffer is left
      PassOn(entry->buffer);
      entry->buffer.clear();
      continue;
    }
    const uint64_t left = entry->spooled - entry->replayed;
    std::string chunk(static_cast<size_t>(std::min<uint64_t>(left, kReplayChunkBytes)), '\0');
    const ssize_t got = pread(fileno(entry->spool), chunk.data(), chunk.size(),
                              static_cast<off_t>(entry->replayed));
    if (got <= 0) break;
    size_t at = 0;
    while (at + kRecordHeader <= static_cast<size_t>(got)) {
      uint32_t length = 0;
      std::memcpy(&length, chunk.data() + at + 1, sizeof(length));
      if (at + kRecordHeader + length > static_cast<size_t>(got)) break;  // next chunk
      output_->Append(chunk[at] == 1 ? LogStream::kStdout : LogStream::kStderr,
                      std::string_view(chunk.data() + at + kRecordHeader, length));
      at += kRecordHeader + length;
    }
    if (at == 0) {  // one record larger than a chunk: read it whole
      uint32_t length = 0;
      std::memcpy(&length, chunk.data() + 1, sizeof(length));
      std::string record(kRecordHeader + length, '\0');
      if (pread(fileno(entry->spool), record.data(), record.size(),
                static_cast<off_t>(entry->replayed)) != static_cast<ssize_t>(record.size())) {
        break;
      }
      output_->Append(record[0] == 1 ? LogStream::kStdout : LogStream::kStderr,
                      std::string_view(record.data() + kRecordHeader, length));
      at = record.size();
    }
    entry->replayed += at;
  }
  if (!entry->finished) return false;
  floor_ = nullptr;
  Complete(entry);
  return true;
}

// Appends every record of `records` (whole records only).
void SentinelLogWriter::PassOn(const std::string& records) {
  size_t at = 0;
  while (at + kRecordHeader <= records.size()) {
    uint32_t length = 0;
    std::memcpy(&length, records.data() + at + 1, sizeof(length));
    if (at + kRecordHeader + length > records.size()) break;
    output_->Append(records[at] == 1 ? LogStream::kStdout : LogStream::kStderr,
                    std::string_view(records.data() + at + kRecordHeader, length));
    at += kRecordHeader + length;
  }
}

// Queues the entry's note and sentinels, forgets it and reports it written.
void SentinelLogWriter::Complete(Entry* entry) {
  if (entry->dropped > 0) {
    output_->Append(LogStream::kStderr,
                    "reference_runtime: " + std::to_string(entry->dropped) +
                        " bytes of this activation's logs were dropped (over the spool limit of " +
                        std::to_string(spool_limit_) + " bytes)");
  }
  if (entry->sentinels) {
    output_->Append(LogStream::kStdout, contract::kSentinel);
    output_->Append(LogStream::kStderr, contract::kSentinel);
  }
  std::function<void()> written = std::move(entry->written);
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->get() == entry) {
      entries_.erase(it);
      break;
    }
  }
  // The answer does not wait for the bytes to leave: the sentinels are
  // queued after every line of this activation, so the streams keep C3.7's
  // order whenever they are read. An activation whose logs went past the
  // output's high-water mark was held above (PumpOnce) until the output
  // caught up, so memory stays bounded. A reader that stalls (docker's log
  // chain under load, a paused pipe) must not hold the answers.
  if (written) written();
}

// Finished waiters first, in completion order; then the oldest running.
void SentinelLogWriter::ChooseFloor() {
  if (!finished_.empty()) {
    floor_ = finished_.front();
    finished_.pop_front();
    return;
  }
  floor_ = nullptr;
  for (auto& entry : entries_) {
    if (!entry->finished) {
      floor_ = entry.get();
      return;
    }
  }
}

}  // namespace rr
