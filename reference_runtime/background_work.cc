#include "reference_runtime/background_work.h"

#include <boost/asio/post.hpp>
#include <utility>

namespace rr {

void OffloadIfLarge(BackgroundWork* background, size_t body_bytes, std::function<void()> work,
                    std::function<void()> then) {
  if (background == nullptr || !background->Takes(body_bytes)) {
    work();
    then();
    return;
  }
  background->Run(std::move(work), std::move(then));
}

ThreadPoolWork::ThreadPoolWork(boost::asio::io_context& loop, size_t threads)
    : loop_(loop), pool_(threads) {}

ThreadPoolWork::~ThreadPoolWork() {
  pool_.stop();
  pool_.join();
}

void ThreadPoolWork::Run(std::function<void()> work, std::function<void()> then) {
  boost::asio::post(pool_, [this, work = std::move(work), then = std::move(then)]() mutable {
    try {
      work();
    } catch (...) {
      // `then` reports the failure the work left in its result.
    }
    work = nullptr;  // whatever it captured is released here, not on the loop
    boost::asio::post(loop_, std::move(then));
  });
}

}  // namespace rr
