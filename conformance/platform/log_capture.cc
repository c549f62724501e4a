// LogCapture: see log_capture.h for the contract.
#include "conformance/platform/log_capture.h"

#include <algorithm>

#include "contract/contract_text.h"

namespace conformance {

const char* to_string(Stream s) { return s == Stream::kStdout ? "stdout" : "stderr"; }

LogCapture::LogCapture(std::size_t max_bytes_per_stream, std::size_t max_lines_per_stream)
    : max_bytes_per_stream_(max_bytes_per_stream),
      max_lines_per_stream_(max_lines_per_stream),
      last_arrival_(std::chrono::steady_clock::now()) {}

void LogCapture::append(Stream stream, std::string_view bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  last_arrival_ = std::chrono::steady_clock::now();
  StreamState& st = state(stream);
  while (!bytes.empty()) {
    const auto nl = bytes.find('\n');
    if (nl == std::string_view::npos) {
      add_to_partial(st, bytes);
      break;
    }
    add_to_partial(st, bytes.substr(0, nl));
    finish_line(stream);
    bytes.remove_prefix(nl + 1);
  }
  changed_.notify_all();
}

// Keeps the partial line only while it could still be kept under the cap, or
// could still be a sentinel; past that its bytes are just counted, so one
// endless line cannot grow memory either.
void LogCapture::add_to_partial(StreamState& st, std::string_view bytes) {
  if (st.partial_overflowed) {
    st.partial_discarded += bytes.size();
    return;
  }
  const std::size_t budget = max_bytes_per_stream_ - std::min(max_bytes_per_stream_, st.kept_bytes);
  const std::size_t allowed = std::max(budget, contract::kSentinel.size());
  if (st.partial.size() + bytes.size() > allowed) {
    st.partial_overflowed = true;
    st.partial_discarded = st.partial.size() + bytes.size();
    st.partial.clear();
    st.partial.shrink_to_fit();
    return;
  }
  st.partial.append(bytes);
}

void LogCapture::finish_line(Stream stream) {
  StreamState& st = state(stream);
  if (st.partial_overflowed) {
    st.dropped_bytes += st.partial_discarded;
    ++st.dropped_lines;
    st.partial_overflowed = false;
    st.partial_discarded = 0;
    return;
  }
  std::string text = std::move(st.partial);
  st.partial.clear();
  push_line(stream, std::move(text));
}

void LogCapture::push_line(Stream stream, std::string text) {
  StreamState& st = state(stream);
  const bool sentinel = text == contract::kSentinel;
  // Every kept line costs memory beyond its text, empty ones included.
  const std::size_t line_cap = sentinel ? 2 * max_lines_per_stream_ : max_lines_per_stream_;
  if (sentinel) ++st.sentinels;  // always counted: the runner splits activations on them
  if (st.kept_lines >= line_cap ||
      (!sentinel && st.kept_bytes + text.size() > max_bytes_per_stream_)) {
    if (!sentinel) st.dropped_bytes += text.size();
    ++st.dropped_lines;
    return;
  }
  if (!sentinel) st.kept_bytes += text.size();
  ++st.kept_lines;
  lines_.push_back(LogLine{stream, next_seq_++, std::move(text), sentinel});
}

void LogCapture::close(Stream stream) {
  std::lock_guard<std::mutex> lock(mu_);
  StreamState& st = state(stream);
  if (st.closed) return;
  if (!st.partial.empty() || st.partial_overflowed) finish_line(stream);
  st.closed = true;
  changed_.notify_all();
}

LogMark LogCapture::mark() const {
  std::lock_guard<std::mutex> lock(mu_);
  return LogMark{next_seq_ - 1, out_.sentinels, err_.sentinels};
}

std::vector<LogLine> LogCapture::lines_since(const LogMark& since) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto first = std::upper_bound(lines_.begin(), lines_.end(), since.seq,
                                [](std::uint64_t seq, const LogLine& l) { return seq < l.seq; });
  return std::vector<LogLine>(first, lines_.end());
}

std::size_t LogCapture::sentinels_since(const LogMark& since, Stream stream) const {
  std::lock_guard<std::mutex> lock(mu_);
  const std::size_t total = stream == Stream::kStdout ? out_.sentinels : err_.sentinels;
  const std::size_t before =
      stream == Stream::kStdout ? since.sentinels_stdout : since.sentinels_stderr;
  return total - std::min(total, before);
}

bool LogCapture::wait_for_sentinels(const LogMark& since, std::size_t count,
                                    std::chrono::steady_clock::time_point deadline) const {
  std::unique_lock<std::mutex> lock(mu_);
  auto arrived = [&] {
    return out_.sentinels - std::min(out_.sentinels, since.sentinels_stdout) >= count &&
           err_.sentinels - std::min(err_.sentinels, since.sentinels_stderr) >= count;
  };
  changed_.wait_until(lock, deadline, [&] { return arrived() || (out_.closed && err_.closed); });
  return arrived();
}

void LogCapture::wait_quiet(std::chrono::milliseconds quiet,
                            std::chrono::steady_clock::time_point deadline) const {
  // Quiet is measured from the call too: lines already written by the runtime
  // may still be in the pipe, so an old last arrival proves nothing.
  const auto called = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    const auto now = std::chrono::steady_clock::now();
    const auto quiet_until = std::max(last_arrival_, called) + quiet;
    if (now >= quiet_until || now >= deadline) return;
    changed_.wait_until(lock, std::min(quiet_until, deadline));
  }
}

void LogCapture::forget_before(const LogMark& mark) {
  std::lock_guard<std::mutex> lock(mu_);
  while (!lines_.empty() && lines_.front().seq <= mark.seq) {
    const LogLine& line = lines_.front();
    StreamState& st = state(line.stream);
    if (!line.is_sentinel) st.kept_bytes -= std::min(st.kept_bytes, line.text.size());
    st.kept_lines -= std::min<std::size_t>(st.kept_lines, 1);
    lines_.pop_front();
  }
}

std::size_t LogCapture::dropped_bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return out_.dropped_bytes + err_.dropped_bytes;
}

std::size_t LogCapture::dropped_lines() const {
  std::lock_guard<std::mutex> lock(mu_);
  return out_.dropped_lines + err_.dropped_lines;
}

std::size_t LogCapture::kept_lines() const {
  std::lock_guard<std::mutex> lock(mu_);
  return lines_.size();
}

bool LogCapture::closed(Stream stream) const {
  std::lock_guard<std::mutex> lock(mu_);
  return stream == Stream::kStdout ? out_.closed : err_.closed;
}

}  // namespace conformance
