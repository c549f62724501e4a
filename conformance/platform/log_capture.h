// LogCapture: the runtime's stdout and stderr as lines, as the platform reads
// them (C3.6, C3.7, C4.6). Filled by reader threads, read by the scenario
// runner. Memory is bounded by bytes and by lines: past a per-stream byte cap
// or line cap, lines are dropped (and counted) but sentinels are still
// counted, so a runtime that writes 100 MB of logs, or ten million empty
// lines, cannot exhaust the harness. Sentinel lines are kept past the line
// cap (they split activations) up to a second `max_lines_per_stream` of
// reserve; beyond that they are only counted.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace conformance {

enum class Stream { kStdout, kStderr };
const char* to_string(Stream s);

struct LogLine {
  Stream stream;
  std::uint64_t seq;  // arrival order across both streams
  std::string text;   // without the newline
  bool is_sentinel;
};

// A position in the capture: everything that arrived before it is "old".
struct LogMark {
  std::uint64_t seq = 0;
  std::size_t sentinels_stdout = 0;
  std::size_t sentinels_stderr = 0;
};

class LogCapture {
 public:
  explicit LogCapture(std::size_t max_bytes_per_stream = 16u << 20,
                      std::size_t max_lines_per_stream = 256u << 10);

  // Feed raw bytes as they are read from a stream; splits lines on '\n'.
  void append(Stream stream, std::string_view bytes);
  // The stream reached EOF: a final unterminated line is flushed.
  void close(Stream stream);

  LogMark mark() const;
  // Lines (both streams, arrival order) that arrived after `since`.
  std::vector<LogLine> lines_since(const LogMark& since) const;
  std::size_t sentinels_since(const LogMark& since, Stream stream) const;
  // Waits until each stream has at least `count` sentinels after `since`, or
  // both streams closed, or the deadline passes. Returns whether they came.
  bool wait_for_sentinels(const LogMark& since, std::size_t count,
                          std::chrono::steady_clock::time_point deadline) const;
  // Waits until nothing new arrived for `quiet`, counted from the later of the
  // call and the last arrival (or until the deadline): used to see that no
  // sentinel follows a successful /init, and to collect lines still in a pipe.
  void wait_quiet(std::chrono::milliseconds quiet,
                  std::chrono::steady_clock::time_point deadline) const;

  // Frees the lines that arrived up to `mark` (sentinel counts stay); their
  // bytes no longer count against the cap. For a long-lived shared capture
  // (--url with --logs-from) so the cap applies per scenario, not per run.
  void forget_before(const LogMark& mark);

  std::size_t dropped_bytes() const;  // text not kept because of the caps
  std::size_t dropped_lines() const;  // lines not kept because of the caps
  // Lines currently kept (both streams): what the caps bound.
  std::size_t kept_lines() const;
  bool closed(Stream stream) const;

 private:
  struct StreamState {
    std::string partial;
    // The current line outgrew what could be kept (or be a sentinel): its
    // bytes are only counted until its newline.
    bool partial_overflowed = false;
    std::size_t partial_discarded = 0;
    std::size_t kept_bytes = 0;
    std::size_t kept_lines = 0;  // sentinels included
    std::size_t dropped_bytes = 0;
    std::size_t dropped_lines = 0;
    std::size_t sentinels = 0;
    bool closed = false;
  };
  StreamState& state(Stream s) { return s == Stream::kStdout ? out_ : err_; }
  void push_line(Stream stream, std::string text);
  void add_to_partial(StreamState& st, std::string_view bytes);
  void finish_line(Stream stream);

  const std::size_t max_bytes_per_stream_;
  const std::size_t max_lines_per_stream_;
  mutable std::mutex mu_;
  mutable std::condition_variable changed_;
  std::deque<LogLine> lines_;
  std::uint64_t next_seq_ = 1;
  std::chrono::steady_clock::time_point last_arrival_;
  StreamState out_, err_;
};

}  // namespace conformance
