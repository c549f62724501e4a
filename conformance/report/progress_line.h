// The console's status line on a terminal: "12/41 init.second-refused 4.1 s"
// (scenarios done of all, the longest-running scenario in flight and how long
// it has run), redrawn in place by a ticker thread and erased before any other
// output, so it never mixes with the report's lines. Only for TTYs: a log file
// must not fill with carriage returns.
//
// Thread-safety: every method locks the mutex it is given (the console
// reporter's), so the ticker and the runner's threads never interleave text.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>

namespace conformance {

class ProgressLine {
 public:
  using Clock = std::chrono::steady_clock;

  // `tick` is how often the elapsed time is redrawn; zero: no ticker thread
  // (tests draw with redraw()).
  ProgressLine(std::ostream& out, std::chrono::milliseconds tick);
  ~ProgressLine();  // stops the ticker and erases the line
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  void begin(std::size_t total);
  void started(const std::string& id);
  // Erases the line, runs `print` (the caller's output), counts `id` done and
  // redraws. `print` runs under the lock.
  template <typename Print>
  void finished(const std::string& id, Print&& print) {
    std::lock_guard<std::mutex> lock(mu_);
    erase_locked();
    print();
    running_.erase(id);
    ++done_;
    draw_locked();
  }
  // Erases the line, runs `print`, and draws no more.
  template <typename Print>
  void end(Print&& print) {
    stop_ticker();
    std::lock_guard<std::mutex> lock(mu_);
    erase_locked();
    ended_ = true;
    print();
  }
  void redraw();

  // The status text, e.g. "12/41 init.second-refused 4.1 s" (public for tests).
  static std::string status_text(std::size_t done, std::size_t total, const std::string& id,
                                 double seconds);

 private:
  void erase_locked();
  void draw_locked();
  void stop_ticker();

  std::ostream& out_;
  const std::chrono::milliseconds tick_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false, ended_ = false, drawn_ = false;
  std::size_t done_ = 0, total_ = 0;
  std::map<std::string, Clock::time_point> running_;
  std::thread ticker_;
};

}  // namespace conformance
