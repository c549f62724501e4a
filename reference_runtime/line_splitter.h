// Cuts a byte stream into lines for the activation log, optionally holding
// back the last line (the /run result, C3.4).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace rr {

// Feed bytes in any chunking; each complete line ('\n'-terminated, newline
// removed) is passed to `emit` as soon as it is known not to be the last one.
// With `hold_last`, the latest line is kept until another line starts or the
// stream ends; Finish() then exposes it as the last line. A line longer than
// `max_line_bytes` is emitted in pieces of that size and can never be the
// result (it is marked overlong). Bounded memory: at most about two lines of
// `max_line_bytes`. Not thread-safe.
class LineSplitter {
 public:
  using Emit = std::function<void(std::string_view line)>;
  LineSplitter(bool hold_last, size_t max_line_bytes, Emit emit);

  void Feed(std::string_view bytes);
  // End of stream: a trailing partial line counts as a line (a final newline
  // adds no empty line). Without hold_last everything has been emitted.
  void Finish();

  bool has_last_line() const { return has_last_; }
  const std::string& last_line() const { return last_; }
  bool last_line_overlong() const { return last_overlong_; }

 private:
  void CompleteLine(bool overlong);

  bool hold_last_;
  size_t max_line_bytes_;
  Emit emit_;
  std::string partial_;
  bool partial_overlong_ = false;  // pieces of this line were already emitted
  bool has_last_ = false;
  bool last_overlong_ = false;
  std::string last_;
};

}  // namespace rr
