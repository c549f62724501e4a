#include "reference_runtime/line_splitter.h"

#include <utility>

namespace rr {

LineSplitter::LineSplitter(bool hold_last, size_t max_line_bytes, Emit emit)
    : hold_last_(hold_last), max_line_bytes_(max_line_bytes), emit_(std::move(emit)) {}

void LineSplitter::Feed(std::string_view bytes) {
  while (!bytes.empty()) {
    const size_t newline = bytes.find('\n');
    const std::string_view piece = bytes.substr(0, newline);
    size_t room = max_line_bytes_ - partial_.size();
    if (piece.size() > room) {
      // Too long to ever be a result: release what we hold and move on.
      partial_.append(piece.substr(0, room));
      if (has_last_) emit_(last_);
      has_last_ = false;
      emit_(partial_);
      partial_.clear();
      partial_overlong_ = true;
      bytes.remove_prefix(room);
      continue;
    }
    partial_.append(piece);
    if (newline == std::string_view::npos) return;
    CompleteLine(partial_overlong_);
    bytes.remove_prefix(newline + 1);
  }
}

void LineSplitter::CompleteLine(bool overlong) {
  if (!hold_last_) {
    if (!(overlong && partial_.empty())) emit_(partial_);
  } else {
    if (has_last_) emit_(last_);
    last_ = std::move(partial_);
    has_last_ = true;
    last_overlong_ = overlong;
  }
  partial_.clear();
  partial_overlong_ = false;
}

void LineSplitter::Finish() {
  if (!partial_.empty() || partial_overlong_) CompleteLine(partial_overlong_);
}

}  // namespace rr
