// Command-line options of reference_runtime.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace rr {

struct Options {
  std::string host = "0.0.0.0";
  unsigned short port = 8080;  // 0: an ephemeral port
  std::string action_dir = "/action";
  size_t max_body_bytes = 128u << 20;
  uint64_t max_archive_bytes = 512u << 20;
  size_t max_concurrent = 16;
  size_t max_line_bytes = 2u << 20;  // past the 1 MiB response limit
  std::chrono::milliseconds header_timeout{10000};
  std::chrono::milliseconds idle_timeout{600000};  // kept-alive connection, between requests
  std::chrono::milliseconds shutdown_grace{5000};
  std::chrono::milliseconds drain_timeout{2000};
  // --actionloop: the Go actionloop proxy's protocol (one long-lived process
  // per pool slot); actionloop_pool processes at most.
  bool actionloop = false;
  size_t actionloop_pool = 1;
  // A pool process beyond the first, idle this long, is ended.
  std::chrono::milliseconds actionloop_pool_idle{30000};
};

enum class ParseResult { kRun, kExitOk, kExitUsage };

// Parses argv. On --help / --version prints to `out` and returns kExitOk;
// on a bad option prints the reason to `err` and returns kExitUsage.
ParseResult ParseOptions(int argc, char** argv, Options* options, std::string* out,
                         std::string* err);

}  // namespace rr
