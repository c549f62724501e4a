// `mock_invoker check`: loading, running, reporting, the exit code.
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <set>

#include "conformance/platform/curl_transport.h"
#include "conformance/report/reporters.h"
#include "conformance/report/verdict.h"
#include "conformance/run/scenario_runner.h"
#include "mock_invoker/check_config.h"

#ifndef OW_VERSION
#define OW_VERSION "0.0.0"
#endif

namespace mock_invoker {
namespace {

using conformance::kExitUsage;

bool use_color(ColorMode mode) {
  if (mode == ColorMode::kAlways) return true;
  if (mode == ColorMode::kNever) return false;
  return isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
}

// Baseline entries must name catalogue scenarios (a typo must not hide a
// regression); entries for scenarios that --filter left out are dropped: they
// are simply not part of this run.
ow::Status restrict_to_run(const std::vector<std::string>& all_ids,
                           const std::vector<conformance::ScenarioSpec>& selected,
                           conformance::Baseline* baseline) {
  std::set<std::string> catalogue(all_ids.begin(), all_ids.end()), run;
  for (const auto& s : selected) run.insert(s.id);
  std::string unknown;
  conformance::Baseline out;
  for (const auto& id : baseline->expected_failures) {
    if (!catalogue.count(id)) unknown += " " + id;
    if (run.count(id)) out.expected_failures.insert(id);
  }
  if (!unknown.empty())
    return ow::Status::Error("--expected-failures lists IDs no scenario has:" + unknown);
  *baseline = std::move(out);
  return ow::Status::Ok();
}

}  // namespace

int run_check(const CheckConfig& c, std::ostream& out, std::ostream& err) {
  conformance::Profile profile;
  std::vector<conformance::ScenarioSpec> specs;
  std::vector<std::string> all_ids;
  ow::Status s = load_selection(c.selection, &profile, &specs, &all_ids);
  if (!s.ok()) {
    err << "mock_invoker check: " << s.message() << "\n";
    return kExitUsage;
  }
  conformance::Baseline baseline;
  if (!c.expected_failures_path.empty()) {
    s = conformance::load_baseline(c.expected_failures_path, &baseline);
    if (!s.ok()) {
      err << "mock_invoker check: " << s.message() << "\n";
      return kExitUsage;
    }
    s = restrict_to_run(all_ids, specs, &baseline);
    if (!s.ok()) {
      err << "mock_invoker check: " << s.message() << "\n";
      return kExitUsage;
    }
  }

  std::vector<conformance::PreparedScenario> prepared(specs.size());
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (c.step_timeout) {
      // --timeout is the default for steps whose scenario did not choose one.
      for (auto& step : specs[i].steps)
        if (!step.timeout_set) step.timeout = *c.step_timeout;
    }
    s = conformance::prepare_scenario(specs[i], profile, &prepared[i]);
    if (!s.ok()) {
      err << "mock_invoker check: scenario " << specs[i].id << ": " << s.message() << "\n";
      return kExitUsage;
    }
  }

  std::unique_ptr<conformance::RuntimeTarget> target = make_target(c.target);
  conformance::CurlTransport transport;
  conformance::RunnerOptions options;
  options.env = c.target.env;
  options.ready_timeout = c.target.ready_timeout;
  options.jobs = c.jobs;
  options.strict = c.strict;
  conformance::ScenarioRunner runner(target.get(), &transport, options);

  std::vector<std::unique_ptr<conformance::Reporter>> reporters;
  reporters.push_back(conformance::make_console_reporter(
      out, conformance::ConsoleOptions{use_color(c.color), c.verbose}));
  for (const ReportFile& file : c.reports) reporters.push_back(file.format->make(file.path));
  for (auto& r : reporters) runner.add_reporter(r.get());

  conformance::RunReport header;
  header.tool_version = OW_VERSION;
  header.target = target->describe();
  header.profile = profile.name;
  conformance::RunReport report = runner.run(prepared, header);

  // Unknown IDs were refused above, so every verdict the reporters print
  // matches the exit code.
  conformance::apply_baseline(baseline, &report);
  for (auto& r : reporters) r->on_finish(report);
  out.flush();
  return conformance::exit_code_for(report);
}

}  // namespace mock_invoker
