#include "reference_runtime/options.h"

#include <cxxopts.hpp>
#include <exception>

namespace rr {

ParseResult ParseOptions(int argc, char** argv, Options* options, std::string* out,
                         std::string* err) {
  cxxopts::Options spec("reference_runtime",
                        "An OpenWhisk-style action runtime implementing the whole contract.");
  const Options defaults;
  // clang-format off
  spec.add_options()
      ("host", "Address to listen on", cxxopts::value<std::string>()->default_value(defaults.host))
      ("port", "Port to listen on (0: pick an ephemeral port and print it)",
       cxxopts::value<unsigned>()->default_value(std::to_string(defaults.port)))
      ("action-dir", "Directory of the action (created if missing)",
       cxxopts::value<std::string>()->default_value(defaults.action_dir))
      ("max-body-bytes", "Largest request body accepted (413 beyond)",
       cxxopts::value<size_t>()->default_value(std::to_string(defaults.max_body_bytes)))
      ("max-archive-bytes", "Largest total uncompressed size of an /init archive",
       cxxopts::value<uint64_t>()->default_value(std::to_string(defaults.max_archive_bytes)))
      ("max-concurrent", "Most /run activations at once (more are refused with 429)",
       cxxopts::value<size_t>()->default_value(std::to_string(defaults.max_concurrent)))
      ("max-line-bytes", "Longest action output line held in memory",
       cxxopts::value<size_t>()->default_value(std::to_string(defaults.max_line_bytes)))
      ("header-timeout-ms", "Time allowed to send a request header",
       cxxopts::value<long>()->default_value(std::to_string(defaults.header_timeout.count())))
      ("idle-timeout-ms", "Time a kept-alive connection may wait for its next request",
       cxxopts::value<long>()->default_value(std::to_string(defaults.idle_timeout.count())))
      ("shutdown-grace-ms", "On SIGTERM/SIGINT, time running activations get before being killed",
       cxxopts::value<long>()->default_value(std::to_string(defaults.shutdown_grace.count())))
      ("drain-timeout-ms", "After an action exits, time allowed for its output pipes to close",
       cxxopts::value<long>()->default_value(std::to_string(defaults.drain_timeout.count())))
      ("actionloop", "Speak the actionloop protocol (long-lived action process, result on fd 3; "
       "reads OW_COMPILER, OW_WAIT_FOR_ACK, OW_EXECUTION_ENV, OW_LOG_INIT_ERROR)")
      ("actionloop-pool", "With --actionloop: most action processes serving /run at once "
       "(1: activations are serialised)",
       cxxopts::value<size_t>()->default_value(std::to_string(defaults.actionloop_pool)))
      ("actionloop-pool-idle-ms", "With --actionloop-pool above 1: a process beyond the first "
       "that stays idle this long is ended",
       cxxopts::value<long>()->default_value(std::to_string(defaults.actionloop_pool_idle.count())))
      ("version", "Print the version and exit")
      ("h,help", "Print this help and exit");
  // clang-format on
  try {
    auto result = spec.parse(argc, argv);
    if (result.count("help")) {
      *out = spec.help();
      return ParseResult::kExitOk;
    }
    if (result.count("version")) {
      *out = "reference_runtime 0.1.0\n";
      return ParseResult::kExitOk;
    }
    if (!result.unmatched().empty()) {
      *err = "unexpected argument: " + result.unmatched().front() + "\n";
      return ParseResult::kExitUsage;
    }
    const unsigned port = result["port"].as<unsigned>();
    if (port > 65535) {
      *err = "--port must be 0..65535\n";
      return ParseResult::kExitUsage;
    }
    options->host = result["host"].as<std::string>();
    options->port = static_cast<unsigned short>(port);
    options->action_dir = result["action-dir"].as<std::string>();
    options->max_body_bytes = result["max-body-bytes"].as<size_t>();
    options->max_archive_bytes = result["max-archive-bytes"].as<uint64_t>();
    options->max_concurrent = result["max-concurrent"].as<size_t>();
    options->max_line_bytes = result["max-line-bytes"].as<size_t>();
    options->actionloop = result.count("actionloop") > 0;
    options->actionloop_pool = result["actionloop-pool"].as<size_t>();
    if (options->actionloop_pool == 0 || options->actionloop_pool > 1024) {
      *err = "--actionloop-pool must be 1..1024\n";
      return ParseResult::kExitUsage;
    }
    const long pool_idle_ms = result["actionloop-pool-idle-ms"].as<long>();
    if (pool_idle_ms <= 0) {
      *err = "--actionloop-pool-idle-ms must be positive\n";
      return ParseResult::kExitUsage;
    }
    options->actionloop_pool_idle = std::chrono::milliseconds(pool_idle_ms);
    const long header_ms = result["header-timeout-ms"].as<long>();
    const long grace_ms = result["shutdown-grace-ms"].as<long>();
    const long idle_ms = result["idle-timeout-ms"].as<long>();
    const long drain_ms = result["drain-timeout-ms"].as<long>();
    if (options->max_concurrent == 0 || options->max_line_bytes == 0 || header_ms <= 0 ||
        idle_ms <= 0 || grace_ms < 0 || drain_ms < 0 || options->action_dir.empty()) {
      *err =
          "limits must be positive (--max-concurrent, --max-line-bytes, --header-timeout-ms) "
          "and --action-dir non-empty\n";
      return ParseResult::kExitUsage;
    }
    options->header_timeout = std::chrono::milliseconds(header_ms);
    options->shutdown_grace = std::chrono::milliseconds(grace_ms);
    options->idle_timeout = std::chrono::milliseconds(idle_ms);
    options->drain_timeout = std::chrono::milliseconds(drain_ms);
    return ParseResult::kRun;
  } catch (const std::exception& error) {
    *err = std::string("reference_runtime: ") + error.what() + "\nTry --help.\n";
    return ParseResult::kExitUsage;
  }
}

}  // namespace rr
