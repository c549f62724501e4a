// `mock_invoker bench ACTION (target) [options]`: warm /run throughput and
// latency over keep-alive connections (load_generator.h), and cold starts
// (launch to ready, /init, first /run) over fresh instances. Exit: 0 no
// failed request, 1 some failed, 2 usage, 3 the runtime never became ready.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <fstream>
#include <memory>

#include "conformance/invoke/activation_runner.h"
#include "conformance/invoke/bench_stats.h"
#include "conformance/invoke/load_generator.h"
#include "conformance/platform/curl_transport.h"
#include "conformance/report/json_header.h"
#include "conformance/report/report_file.h"
#include "conformance/report/run_report.h"
#include "conformance/report/verdict.h"
#include "mock_invoker/cli_parse.h"
#include "mock_invoker/commands.h"
#include "mock_invoker/shared_options.h"

namespace mock_invoker {
namespace {

using conformance::kExitConformant;
using conformance::kExitNonConformant;
using conformance::kExitRuntimeNotReady;
using conformance::kExitUsage;
using nlohmann::json;

struct BenchConfig {
  TargetChoice target;
  std::string json_path;
  conformance::InvokeSettings settings;
  std::size_t concurrency = 1, requests = 0, cold_starts = 0;
  double duration_s = 10;
};

cxxopts::Options bench_options() {
  cxxopts::Options options(
      "mock_invoker bench",
      "Measure an action runtime: warm /run throughput and latency percentiles over keep-alive\n"
      "connections, and cold starts (launch to ready, /init, first /run) over fresh instances.\n"
      "Exit: 0 no failed request, 1 some failed, 2 usage error, 3 runtime never ready.");
  add_target_options(options, "per cold start");
  add_action_options(options);
  // clang-format off
  options.add_options("load")
      ("concurrency", "requests in flight (one keep-alive connection each)",
       cxxopts::value<long>()->default_value("1"), "N")
      ("duration", "warm phase length in seconds", cxxopts::value<double>(), "S")
      ("requests", "warm phase: this many requests instead of --duration (0: none)",
       cxxopts::value<long>(), "N")
      ("cold-starts", "fresh instances to measure", cxxopts::value<long>()->default_value("0"), "N")
      ("json", "write the figures as JSON", cxxopts::value<std::string>(), "FILE")
      ("version", "show mock_invoker's version")
      ("h,help", "show this help");
  // clang-format on
  return options;
}

ow::Status validate(const cxxopts::ParseResult& r, BenchConfig* c) {
  ow::Status st = invocation_from(r, &c->target, &c->settings);
  if (!st.ok()) return st;
  conformance::InvokeSettings& s = c->settings;
  s.sentinel_wait = std::chrono::milliseconds(1000);

  const long concurrency = r["concurrency"].as<long>();
  if (concurrency < 1 || concurrency > 1024)
    return ow::Status::Error("--concurrency must be between 1 and 1024");
  c->concurrency = static_cast<std::size_t>(concurrency);
  if (r.count("duration") && r.count("requests"))
    return ow::Status::Error("give --duration or --requests, not both");
  if (r.count("duration")) {
    c->duration_s = r["duration"].as<double>();
    if (!(c->duration_s > 0 && c->duration_s <= 86400))
      return ow::Status::Error("--duration must be between 0 and 86400 seconds");
  }
  if (r.count("requests")) {
    const long n = r["requests"].as<long>();
    if (n < 0) return ow::Status::Error("--requests must not be negative");
    c->requests = static_cast<std::size_t>(n);
    c->duration_s = 0;
  }
  const long cold = r["cold-starts"].as<long>();
  if (cold < 0 || cold > 10000)
    return ow::Status::Error("--cold-starts must be between 0 and 10000");
  c->cold_starts = static_cast<std::size_t>(cold);
  if (c->cold_starts > 0 && !c->target.kind->fresh_instances)
    return ow::Status::Error("--cold-starts needs fresh instances (" +
                             target_options_where_fresh(true) + "), not --" +
                             c->target.kind->option);
  if (c->duration_s == 0 && c->requests == 0 && c->cold_starts == 0)
    return ow::Status::Error("nothing to measure: --requests 0 and no --cold-starts");
  c->json_path = option_string(r, "json");
  if (!c->json_path.empty()) {
    ow::Status probe = conformance::probe_report_path(c->json_path);
    if (!probe.ok()) return ow::Status::Error("--json: " + probe.message());
  }
  return ow::Status::Ok();
}

// A live progress line: rewritten in place on a terminal, every 5 s otherwise.
struct ProgressLine {
  bool tty = isatty(STDERR_FILENO) != 0;
  std::chrono::steady_clock::time_point last_print{};
  bool printed = false;
  void show(std::ostream& err, const conformance::LoadProgress& p) {
    const auto now = std::chrono::steady_clock::now();
    if (!tty && now - last_print < std::chrono::seconds(5)) return;
    last_print = now;
    char text[128];
    std::snprintf(text, sizeof text, "bench: %.0f s, %zu ok, %zu failed, %.0f req/s", p.elapsed_s,
                  p.completed, p.failed, p.elapsed_s > 0 ? p.completed / p.elapsed_s : 0.0);
    err << (tty ? "\r" : "") << text << (tty ? "" : "\n") << std::flush;
    printed = true;
  }
  void finish(std::ostream& err) {
    if (tty && printed) err << "\n";
  }
};

struct WarmOutcome {
  bool ran = false;
  conformance::LoadResult load;
};

// Starts one instance, does one cold activation (it must succeed), then the load.
int run_warm(const BenchConfig& c, conformance::RuntimeTarget* target, CommandIo io,
             WarmOutcome* out) {
  conformance::CurlTransport transport;
  conformance::ActivationRunner runner(target, &transport, conformance::real_clock(), c.settings);
  conformance::ActivationRecord first;
  ow::Status s = runner.invoke(&first);
  if (!s.ok()) {
    io.err << "mock_invoker bench: " << s.message() << "\n";
    return kExitRuntimeNotReady;
  }
  conformance::RuntimeInstance* instance = runner.warm_instance();
  if (!first.response.success() || !instance) {
    io.err << "mock_invoker bench: the first activation did not succeed ("
           << conformance::status_text(first.response.status)
           << "): " << first.response.result.dump() << "\n";
    return kExitNonConformant;
  }
  conformance::LoadOptions load;
  load.url = instance->base_url() + "/run";
  load.body = conformance::build_run_body(
      c.settings.value,
      conformance::make_activation_context(c.settings.code.name, c.settings.limit));
  load.concurrency = c.concurrency;
  load.total_requests = c.requests;
  load.duration = std::chrono::milliseconds(static_cast<long long>(c.duration_s * 1000));
  load.request_timeout = c.settings.limit;
  ProgressLine progress;
  conformance::LogCapture* logs = instance->logs();
  load.on_progress = [&](const conformance::LoadProgress& p) {
    if (logs) logs->forget_before(logs->mark());     // the logs are not needed: keep memory flat
    if (p.elapsed_s >= 2) progress.show(io.err, p);  // long runs only
  };
  s = conformance::run_load(load, &out->load);
  progress.finish(io.err);
  if (!s.ok()) {
    io.err << "mock_invoker bench: " << s.message() << "\n";
    return kExitNonConformant;
  }
  out->ran = true;
  return kExitConformant;
}

struct ColdOutcome {
  std::vector<double> ready_ms, init_ms, first_run_ms;
  std::size_t failed = 0;
};

int run_cold(const BenchConfig& c, conformance::RuntimeTarget* target, CommandIo io,
             ColdOutcome* out) {
  conformance::CurlTransport transport;
  for (std::size_t i = 0; i < c.cold_starts; ++i) {
    conformance::ActivationRunner runner(target, &transport, conformance::real_clock(), c.settings);
    conformance::ActivationRecord rec;
    ow::Status s = runner.invoke(&rec);
    if (!s.ok()) {
      io.err << "mock_invoker bench: cold start " << i + 1 << ": " << s.message() << "\n";
      return kExitRuntimeNotReady;
    }
    if (!rec.response.success()) ++out->failed;
    out->ready_ms.push_back(rec.wait_ms);
    out->init_ms.push_back(rec.init_ms);
    out->first_run_ms.push_back(rec.run_ms);
  }
  return kExitConformant;
}

void print_summary(const std::string& what, const conformance::LatencySummary& s,
                   std::ostream& out) {
  out << "  " << what << ": p50 " << conformance::format_latency(s.p50_ms) << ", p90 "
      << conformance::format_latency(s.p90_ms) << ", p99 " << conformance::format_latency(s.p99_ms)
      << ", max " << conformance::format_latency(s.max_ms) << " (n=" << s.count << ")\n";
}

int run_bench(const BenchConfig& c, CommandIo io) {
  std::unique_ptr<conformance::RuntimeTarget> target;
  if (ow::Status ready = make_prepared_target(c.target, &target); !ready.ok()) {
    io.err << "mock_invoker bench: " << ready.message() << "\n";
    return conformance::kExitUsage;
  }
  const std::string started_at = conformance::utc_timestamp_now();
  const auto began = std::chrono::steady_clock::now();
  json report = {{"action", c.settings.code.name}, {"concurrency", c.concurrency}};
  int code = kExitConformant;
  if (c.duration_s > 0 || c.requests > 0) {
    WarmOutcome warm;
    code = run_warm(c, target.get(), io, &warm);
    if (!warm.ran) return code;
    const auto& l = warm.load;
    const auto latency = conformance::summarize(l.latencies_ms);
    const double rps = l.elapsed_s > 0 ? static_cast<double>(l.completed) / l.elapsed_s : 0;
    report["warm"] = {{"requests", l.completed + l.failed},
                      {"ok", l.completed},
                      {"failed", l.failed},
                      {"failures", l.failures},
                      {"elapsed_s", l.elapsed_s},
                      {"throughput_rps", rps},
                      {"connections_opened", l.connections_opened},
                      {"latency_ms", conformance::to_json(latency)}};
    char line[160];
    std::snprintf(line, sizeof line,
                  "warm /run: %zu ok, %zu failed in %.2f s = %.0f req/s at concurrency %zu "
                  "(%zu connections)\n",
                  l.completed, l.failed, l.elapsed_s, rps, c.concurrency, l.connections_opened);
    io.out << line;
    print_summary("latency", latency, io.out);
    for (const auto& [kind, n] : l.failures) io.out << "  failed: " << kind << " x" << n << "\n";
    if (l.failed > 0) code = kExitNonConformant;
  }
  if (c.cold_starts > 0) {
    ColdOutcome cold;
    const int cold_code = run_cold(c, target.get(), io, &cold);
    if (cold_code == kExitRuntimeNotReady) return cold_code;
    const auto ready = conformance::summarize(cold.ready_ms);
    const auto init = conformance::summarize(cold.init_ms);
    const auto first = conformance::summarize(cold.first_run_ms);
    report["cold_starts"] = {{"count", cold.ready_ms.size()},
                             {"failed", cold.failed},
                             {"launch_to_ready_ms", conformance::to_json(ready)},
                             {"init_ms", conformance::to_json(init)},
                             {"first_run_ms", conformance::to_json(first)}};
    io.out << "cold starts: " << cold.ready_ms.size() << " (" << cold.failed << " failed)\n";
    print_summary("launch to ready", ready, io.out);
    print_summary("/init", init, io.out);
    print_summary("first /run", first, io.out);
    if (cold.failed > 0) code = kExitNonConformant;
  }
  if (!c.json_path.empty()) {
    // The same header as check's JSON report (docs/report.schema.json).
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - began).count();
    nlohmann::ordered_json out =
        conformance::json_report_header({"bench", OW_VERSION, target->describe(), started_at, ms});
    for (const auto& [key, value] : report.items()) out[key] = value;
    const ow::Status written = conformance::write_report_file(c.json_path, out.dump(2) + "\n");
    if (!written.ok()) {
      io.err << "mock_invoker bench: " << written.message() << "\n";
      return kExitUsage;
    }
  }
  return code;
}

}  // namespace

int bench_command(const std::vector<std::string>& args, CommandIo io) {
  cxxopts::Options options = bench_options();
  BenchConfig config;
  const std::optional<int> done =
      parse_command("bench", options, {"target", "action", "load"}, args, io,
                    [&](const cxxopts::ParseResult& r) { return validate(r, &config); });
  return done ? *done : run_bench(config, io);
}

}  // namespace mock_invoker
