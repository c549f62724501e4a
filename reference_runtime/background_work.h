// Work too heavy for the event loop (large request bodies: parsing,
// decoding, archive extraction) runs on threads of its own.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cstddef>
#include <functional>

namespace rr {

// Bodies this large or larger are read off the event loop.
constexpr size_t kBackgroundBodyBytes = 64u << 10;

class BackgroundWork {
 public:
  virtual ~BackgroundWork() = default;
  // Runs `work` on another thread, then `then` on the event loop. `work`
  // must touch nothing the loop uses meanwhile; if it throws, `then` still
  // runs (so work should leave an error in its result until it succeeds).
  virtual void Run(std::function<void()> work, std::function<void()> then) = 0;
  // Whether a body of `body_bytes` is worth a trip to another thread.
  virtual bool Takes(size_t body_bytes) const { return body_bytes >= kBackgroundBodyBytes; }
};

// `work` then `then`: through `background` when there is one and it takes a
// body of `body_bytes`, else both right now, on the caller's thread.
void OffloadIfLarge(BackgroundWork* background, size_t body_bytes, std::function<void()> work,
                    std::function<void()> then);

// A fixed pool of threads. The destructor waits for work under way and
// drops work not yet started (its `then` never runs).
class ThreadPoolWork : public BackgroundWork {
 public:
  ThreadPoolWork(boost::asio::io_context& loop, size_t threads);
  ~ThreadPoolWork() override;
  void Run(std::function<void()> work, std::function<void()> then) override;

 private:
  boost::asio::io_context& loop_;
  boost::asio::thread_pool pool_;
};

}  // namespace rr
