// `mock_invoker check`: option parsing and validation.
#include "conformance/report/report_file.h"
#include "mock_invoker/check_config.h"
#include "mock_invoker/cli_parse.h"
#include "mock_invoker/commands.h"
#include "mock_invoker/report_formats.h"
#include "mock_invoker/target_kinds.h"

namespace mock_invoker {
namespace {

cxxopts::Options check_options() {
  cxxopts::Options options(
      "mock_invoker check",
      "Run the conformance scenarios against an action runtime, the way an OpenWhisk invoker\n"
      "talks to it, and report. Exit: 0 conformant, 1 not conformant, 2 usage/config error,\n"
      "3 runtime never ready.");
  add_target_options(options, "per scenario");
  add_selection_options(options);
  add_report_options(options);
  // clang-format off
  options.add_options("run")
      ("jobs", "scenarios run at once (fresh instances only)",
       cxxopts::value<long>()->default_value("1"), "N")
      ("timeout", "per-step timeout for steps that set none, in ms", cxxopts::value<long>(), "MS")
      ("strict", "should-level failures fail the run")
      ("fail-on-skip", "a skipped or not-run scenario fails the run (by default a run with "
       "skips is CONFORMANT (partial: N of M scenarios ran))")
      ("fail-fast", "stop at the first failure or error (the rest are reported as not run)")
      ("keep-going", "run every scenario even when the runtime never becomes ready "
       "(by default the run stops after the first scenarios found no runtime)");
  options.add_options("report")
      ("expected-failures", "baseline: scenario IDs known to fail, one per line",
       cxxopts::value<std::string>(), "FILE")
      ("write-expected-failures", "write a baseline listing every scenario that did not pass",
       cxxopts::value<std::string>(), "FILE")
      ("color", "auto, always or never", cxxopts::value<std::string>()->default_value("auto"),
       "WHEN")
      ("verbose", "details for passing scenarios too")
      ("version", "show mock_invoker's version")
      ("h,help", "show this help");
  // clang-format on
  return options;
}

ow::Status validate(const cxxopts::ParseResult& r, CheckConfig* c) {
  ow::Status st = target_from(r, &c->target);
  if (!st.ok()) return st;
  c->selection = selection_from(r);
  for (const auto& kv : c->selection.capabilities) {
    std::string k, v;
    ow::Status s = split_assignment(kv, "--capability", &k, &v);
    if (!s.ok()) return s;
  }
  const long jobs = r["jobs"].as<long>();
  if (jobs < 1 || jobs > 64) return ow::Status::Error("--jobs must be between 1 and 64");
  c->jobs = static_cast<std::size_t>(jobs);
  if (r.count("timeout")) {
    const long ms = r["timeout"].as<long>();
    if (ms < 100 || ms > 300000)
      return ow::Status::Error("--timeout must be between 100 and 300000 ms (C4.2)");
    c->step_timeout = std::chrono::milliseconds(ms);
  }
  c->strict = r.count("strict") > 0;
  c->fail_on_skip = r.count("fail-on-skip") > 0;
  if (r.count("fail-fast") && r.count("keep-going"))
    return ow::Status::Error("--fail-fast and --keep-going exclude each other");
  if (r.count("fail-fast")) c->stop = conformance::StopPolicy::kOnFirstFailure;
  if (r.count("keep-going")) c->stop = conformance::StopPolicy::kNever;
  c->reports = reports_from(r);
  st = check_report_paths(c->reports);
  if (!st.ok()) return st;
  c->write_expected_failures_path = option_string(r, "write-expected-failures");
  if (!c->write_expected_failures_path.empty()) {
    st = conformance::probe_report_path(c->write_expected_failures_path);
    if (!st.ok()) return ow::Status::Error("--write-expected-failures: " + st.message());
  }
  c->expected_failures_path = option_string(r, "expected-failures");
  const std::string color = r["color"].as<std::string>();
  if (color == "auto") {
    c->color = ColorMode::kAuto;
  } else if (color == "always") {
    c->color = ColorMode::kAlways;
  } else if (color == "never") {
    c->color = ColorMode::kNever;
  } else {
    return ow::Status::Error("--color must be auto, always or never, got '" + color + "'");
  }
  c->verbose = r.count("verbose") > 0;
  return ow::Status::Ok();
}

}  // namespace

std::optional<int> parse_check(const std::vector<std::string>& args, CommandIo io,
                               CheckConfig* config) {
  cxxopts::Options options = check_options();
  return parse_command("check", options, {"target", "selection", "run", "report", ""}, args, io,
                       [&](const cxxopts::ParseResult& r) { return validate(r, config); });
}

int check_command(const std::vector<std::string>& args, CommandIo io) {
  CheckConfig config;
  const std::optional<int> done = parse_check(args, io, &config);
  return done ? *done : run_check(config, io.out, io.err);
}

}  // namespace mock_invoker
