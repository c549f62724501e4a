// The load generator of `mock_invoker bench`: keeps N identical POSTs in
// flight against one URL with libcurl's multi interface (one multi handle,
// N easy handles reused, so each keeps its keep-alive connection) and
// records each answer's latency and failures by kind.
//
// Contract:
// - run_load() blocks on the calling thread until `total_requests` answers
//   came (or, with total_requests 0, until `duration` passed and the requests
//   in flight finished; each is bounded by request_timeout).
// - Only 200 answers count as completed and give latency samples (at most
//   max_samples are kept; the counts stay exact). Failures are counted by
//   kind: "refused", "timeout", "connection_lost", "malformed", "other", or
//   "http_<status>" for a non-200 answer.
// - on_progress, if set, is called from the same thread about every
//   progress_interval (and must be quick).
// - Never throws; setup failures (libcurl handles) come back as a Status.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace conformance {

struct LoadProgress {
  std::size_t completed = 0;
  std::size_t failed = 0;
  double elapsed_s = 0;
};

struct LoadOptions {
  std::string url;   // e.g. http://127.0.0.1:PORT/run
  std::string body;  // sent as application/json
  std::size_t concurrency = 1;
  std::size_t total_requests = 0;  // 0: run for `duration`
  std::chrono::milliseconds duration{10000};
  std::chrono::milliseconds request_timeout{60000};
  std::size_t max_samples = 20u << 20;
  std::chrono::milliseconds progress_interval{1000};
  std::function<void(const LoadProgress&)> on_progress;
};

struct LoadResult {
  std::size_t completed = 0;  // 200 answers
  std::size_t failed = 0;
  std::map<std::string, std::size_t> failures;  // by kind
  std::vector<double> latencies_ms;             // of 200 answers
  std::size_t connections_opened = 0;           // new TCP connections (keep-alive: ~N)
  double elapsed_s = 0;
};

ow::Status run_load(const LoadOptions& options, LoadResult* result);

}  // namespace conformance
