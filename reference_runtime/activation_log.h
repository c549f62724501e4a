// Where an activation's log lines go, and the sentinels that close them.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <list>
#include <memory>
#include <string>
#include <string_view>

namespace rr {

enum class LogStream { kStdout, kStderr };

// One activation's (or one /init's) log lines. Lines are given without their
// newline. Finish must be called exactly once; after it no more lines.
class ActivationLog {
 public:
  virtual ~ActivationLog() = default;
  virtual void Line(LogStream stream, std::string_view line) = 0;
  // Ends the logs; with `sentinels`, one contract::kSentinel line follows
  // them on each stream. `written` runs on the caller's thread once all of it
  // is on its way to the runtime's streams in order: handed to the output,
  // not necessarily read yet (maybe before Finish returns, maybe later when
  // another activation releases the floor or a backlogged output catches up).
  virtual void Finish(bool sentinels, std::function<void()> written) = 0;
};

// Seam (a): hands out ActivationLogs. Decorators may wrap it (sentinel
// faults, dropped streams, interleaving).
class LogWriter {
 public:
  virtual ~LogWriter() = default;
  virtual std::unique_ptr<ActivationLog> Begin() = 0;
};

class LogOutput;

// Writes to the runtime's two streams (through a LogOutput) so that each
// activation's lines form one contiguous block followed by its sentinels,
// even when activations overlap (C3.9).
//
// The oldest running activation holds the floor and writes straight
// through; the others spool to an anonymous temp file (bounded memory, and
// at most `spool_limit` bytes each: what comes beyond is dropped and a note
// says how much). When the floor holder finishes, the finished spools are
// replayed in completion order, then the oldest still-running activation
// takes the floor (its spool so far first). Replays go in chunks, each once
// the output has taken the previous one, so nothing is copied whole into
// memory and the event loop is never held for long; while the output is
// backlogged (a slow reader), the floor holder's lines are spooled too. A
// finished activation that does not hold the floor waits for it, so its
// `written` callback (and the HTTP answer) comes later.
// Not thread-safe: one event loop. Logs that outlive the writer do nothing.
// Write errors on the descriptors are ignored (nowhere to report them).
class SentinelLogWriter : public LogWriter {
 public:
  static constexpr uint64_t kDefaultSpoolLimit = 64u << 20;
  // Blocking writes to the two descriptors (a DirectLogOutput).
  SentinelLogWriter(int stdout_fd, int stderr_fd, uint64_t spool_limit = kDefaultSpoolLimit);
  explicit SentinelLogWriter(std::unique_ptr<LogOutput> output,
                             uint64_t spool_limit = kDefaultSpoolLimit);
  ~SentinelLogWriter() override;
  std::unique_ptr<ActivationLog> Begin() override;

 private:
  struct Entry;
  class Handle;
  void Write(Entry* entry, LogStream stream, std::string_view line);
  void Finish(Entry* entry, bool sentinels, std::function<void()> written);
  void Pump();
  bool PumpOnce();
  void PassOn(const std::string& records);
  void Complete(Entry* entry);
  void ChooseFloor();

  std::unique_ptr<LogOutput> output_;
  uint64_t spool_limit_;
  std::list<std::unique_ptr<Entry>> entries_;  // in start order
  std::list<Entry*> finished_;                 // waiting for the floor, in completion order
  Entry* floor_ = nullptr;
  bool pumping_ = false;
  bool pump_again_ = false;
  bool waiting_for_output_ = false;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace rr
