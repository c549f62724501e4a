#include "conformance/report/progress_line.h"

#include <cstdio>

#include "conformance/report/printable_text.h"

namespace conformance {

namespace {
constexpr char kEraseLine[] = "\r\033[K";
constexpr std::size_t kMaxIdBytes = 60;  // keeps the line on one row of a narrow terminal
}  // namespace

ProgressLine::ProgressLine(std::ostream& out, std::chrono::milliseconds tick)
    : out_(out), tick_(tick) {}

ProgressLine::~ProgressLine() {
  stop_ticker();
  std::lock_guard<std::mutex> lock(mu_);
  erase_locked();
}

std::string ProgressLine::status_text(std::size_t done, std::size_t total, const std::string& id,
                                      double seconds) {
  std::string shown = printable_text::printable(id);
  if (shown.size() > kMaxIdBytes) shown = shown.substr(0, kMaxIdBytes - 3) + "...";
  char time[32];
  std::snprintf(time, sizeof time, "%.1f s", seconds > 0 ? seconds : 0.0);
  std::string text = std::to_string(done) + "/" + std::to_string(total);
  if (!shown.empty()) text += " " + shown + " " + time;
  return text;
}

void ProgressLine::begin(std::size_t total) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    total_ = total;
    draw_locked();
  }
  if (tick_.count() <= 0 || ticker_.joinable()) return;
  try {
    ticker_ = std::thread([this] {
      std::unique_lock<std::mutex> lock(mu_);
      while (!stopping_) {
        wake_.wait_for(lock, tick_);
        if (!stopping_) draw_locked();
      }
    });
  } catch (const std::exception&) {
    // No thread: the line is still redrawn whenever a scenario starts or ends.
  }
}

void ProgressLine::started(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  running_.emplace(id, Clock::now());
  draw_locked();
}

void ProgressLine::redraw() {
  std::lock_guard<std::mutex> lock(mu_);
  draw_locked();
}

void ProgressLine::erase_locked() {
  if (!drawn_) return;
  out_ << kEraseLine;
  out_.flush();
  drawn_ = false;
}

void ProgressLine::draw_locked() {
  if (ended_) return;
  // The scenario in flight the longest: the one a person waits for.
  std::string id;
  Clock::time_point since = Clock::now();
  for (const auto& [name, began] : running_) {
    if (began <= since) {
      since = began;
      id = name;
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - since).count();
  out_ << kEraseLine << status_text(done_, total_, id, seconds);
  out_.flush();
  drawn_ = true;
}

void ProgressLine::stop_ticker() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (ticker_.joinable()) ticker_.join();
}

}  // namespace conformance
