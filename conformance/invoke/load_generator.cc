// The multi-handle load generator: see load_generator.h.
#include "conformance/invoke/load_generator.h"

#include <curl/curl.h>

#include <memory>
#include <mutex>

namespace conformance {
namespace {

using Clock = std::chrono::steady_clock;

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_ALL); });
}

size_t discard_body(char*, size_t size, size_t count, void*) { return size * count; }

const char* failure_kind(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
      return "refused";
    case CURLE_OPERATION_TIMEDOUT:
      return "timeout";
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
      return "connection_lost";
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return "malformed";
    default:
      return "other";
  }
}

struct MultiDeleter {
  void operator()(CURLM* m) const { curl_multi_cleanup(m); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

struct Slot {
  CURL* easy = nullptr;
  Clock::time_point started;
  bool in_flight = false;
};

class Generator {
 public:
  Generator(const LoadOptions& options, LoadResult* result) : o_(options), r_(result) {}
  ~Generator() {
    for (Slot& s : slots_) {
      if (s.in_flight) curl_multi_remove_handle(multi_.get(), s.easy);
      if (s.easy) curl_easy_cleanup(s.easy);
    }
  }

  ow::Status run() {
    multi_.reset(curl_multi_init());
    if (!multi_) return ow::Status::Error("could not create a libcurl multi handle");
    curl_multi_setopt(multi_.get(), CURLMOPT_MAXCONNECTS, static_cast<long>(o_.concurrency));
    for (const char* h :
         {"Content-Type: application/json", "Accept: application/json", "Expect:"}) {
      curl_slist* next = curl_slist_append(headers_.get(), h);
      if (!next) return ow::Status::Error("out of memory building headers");
      headers_.release();
      headers_.reset(next);
    }
    slots_.resize(o_.concurrency);
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      slots_[i].easy = make_easy(i);
      if (!slots_[i].easy) return ow::Status::Error("could not create a libcurl easy handle");
    }
    start_ = Clock::now();
    last_done_ = start_;
    end_ = start_ + o_.duration;
    next_progress_ = start_ + o_.progress_interval;
    for (std::size_t i = 0; i < slots_.size(); ++i) issue(i);
    while (in_flight_ > 0) {
      int running = 0;
      curl_multi_perform(multi_.get(), &running);
      collect();
      const Clock::time_point now = Clock::now();
      if (o_.on_progress && now >= next_progress_) {
        next_progress_ = now + o_.progress_interval;
        o_.on_progress(LoadProgress{r_->completed, r_->failed, seconds_since_start(now)});
      }
      if (in_flight_ > 0) curl_multi_poll(multi_.get(), nullptr, 0, 100, nullptr);
    }
    r_->elapsed_s = seconds_since_start(last_done_);
    return ow::Status::Ok();
  }

 private:
  double seconds_since_start(Clock::time_point t) const {
    return std::chrono::duration<double>(t - start_).count();
  }

  CURL* make_easy(std::size_t index) {
    CURL* h = curl_easy_init();
    if (!h) return nullptr;
    curl_easy_setopt(h, CURLOPT_URL, o_.url.c_str());
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_PROXY, "");
    curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(h, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
    curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(o_.request_timeout.count()));
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers_.get());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(o_.body.size()));
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, o_.body.data());
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard_body);
    curl_easy_setopt(h, CURLOPT_PRIVATE, reinterpret_cast<void*>(index));
    return h;
  }

  bool more_to_issue(Clock::time_point now) const {
    if (o_.total_requests > 0) return issued_ < o_.total_requests;
    return now < end_;
  }

  void issue(std::size_t index) {
    if (!more_to_issue(Clock::now())) return;
    Slot& s = slots_[index];
    s.started = Clock::now();
    if (curl_multi_add_handle(multi_.get(), s.easy) != CURLM_OK) return;
    s.in_flight = true;
    ++issued_;
    ++in_flight_;
  }

  void collect() {
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_.get(), &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURL* h = msg->easy_handle;
      const CURLcode code = msg->data.result;
      void* priv = nullptr;
      curl_easy_getinfo(h, CURLINFO_PRIVATE, &priv);
      const std::size_t index = reinterpret_cast<std::size_t>(priv);
      Slot& s = slots_[index];
      const Clock::time_point done = Clock::now();
      last_done_ = done;
      long status = 0, connects = 0;
      curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
      curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &connects);
      r_->connections_opened += static_cast<std::size_t>(connects);
      if (code == CURLE_OK && status == 200) {
        ++r_->completed;
        if (r_->latencies_ms.size() < o_.max_samples) {
          r_->latencies_ms.push_back(
              std::chrono::duration<double, std::milli>(done - s.started).count());
        }
      } else {
        ++r_->failed;
        ++r_->failures[code == CURLE_OK ? "http_" + std::to_string(status) : failure_kind(code)];
      }
      curl_multi_remove_handle(multi_.get(), h);
      s.in_flight = false;
      --in_flight_;
      issue(index);  // the same handle again: its connection stays alive
    }
  }

  const LoadOptions& o_;
  LoadResult* r_;
  std::unique_ptr<CURLM, MultiDeleter> multi_;
  std::unique_ptr<curl_slist, SlistDeleter> headers_;
  std::vector<Slot> slots_;
  std::size_t issued_ = 0, in_flight_ = 0;
  Clock::time_point start_, end_, next_progress_, last_done_;
};

}  // namespace

ow::Status run_load(const LoadOptions& options, LoadResult* result) {
  if (options.concurrency < 1) return ow::Status::Error("concurrency must be at least 1");
  init_curl_once();
  *result = LoadResult{};
  Generator generator(options, result);
  return generator.run();
}

}  // namespace conformance
