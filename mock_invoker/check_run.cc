// `mock_invoker check`: loading, running, reporting, the exit code.
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <set>

#include "conformance/platform/curl_transport.h"
#include "conformance/platform/interruption.h"
#include "conformance/report/console_reporter.h"
#include "conformance/report/redaction.h"
#include "conformance/report/report_file.h"
#include "conformance/report/verdict.h"
#include "conformance/run/scenario_runner.h"
#include "conformance/scenario/prepare_scenario.h"
#include "mock_invoker/check_config.h"

#ifndef OW_VERSION
#define OW_VERSION "0.0.0"
#endif

namespace mock_invoker {
namespace {

using conformance::kExitUsage;

// no-color.org: NO_COLOR set to a non-empty value (any) disables colour by
// default; an explicit --color=always still wins.
bool use_color(ColorMode mode) {
  if (mode == ColorMode::kAlways) return true;
  if (mode == ColorMode::kNever) return false;
  const char* no_color = std::getenv("NO_COLOR");
  return isatty(STDOUT_FILENO) && (no_color == nullptr || no_color[0] == '\0');
}

// --write-expected-failures: every scenario that did not pass in a way that
// counts (fail, error, warn under --strict), excused by the old baseline or
// not, so still-failing entries stay; stale entries (they pass now) go.
std::string expected_failures_text(const conformance::RunReport& report, std::size_t* listed) {
  std::string text = "# Expected failures written by mock_invoker " + std::string(OW_VERSION) +
                     " on " + report.started_at +
                     "\n# target: " + conformance::redact_secrets(report.target) +
                     "\n# profile: " + report.profile + (report.strict ? " (strict)" : "") + "\n";
  *listed = 0;
  for (const auto& r : report.scenarios) {
    const bool counts = r.outcome == conformance::Outcome::kFail ||
                        r.outcome == conformance::Outcome::kError ||
                        (report.strict && r.outcome == conformance::Outcome::kWarn);
    if (!counts || r.baseline_stale) continue;
    text += r.id + "\n";
    ++*listed;
  }
  return text;
}

void write_expected_failures(const std::string& path, const std::string& text, std::size_t listed,
                             std::ostream& err) {
  const ow::Status written = conformance::write_report_file(path, text);
  if (!written.ok()) {
    err << "error: " << written.message() << "\n";
    return;
  }
  err << "wrote " << listed << " expected failure" << (listed == 1 ? "" : "s") << " to " << path
      << "\n";
}

// The console (on a terminal: colour unless NO_COLOR, and a status line) and
// the report files asked for.
std::vector<std::unique_ptr<conformance::Reporter>> reporters_for(const CheckConfig& c,
                                                                  std::ostream& out) {
  std::vector<std::unique_ptr<conformance::Reporter>> reporters;
  conformance::ConsoleOptions console;
  console.color = use_color(c.color);
  console.verbose = c.verbose;
  console.progress = isatty(STDOUT_FILENO);
  reporters.push_back(conformance::make_console_reporter(out, console));
  for (const ReportFile& file : c.reports) reporters.push_back(file.format->make(file.path));
  return reporters;
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
  std::string catalogue_version;
  ow::Status s = load_selection(c.selection, &profile, &specs, &all_ids, &catalogue_version);
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

  std::unique_ptr<conformance::RuntimeTarget> target;
  if (ow::Status ready = make_prepared_target(c.target, &target); !ready.ok()) {
    err << "mock_invoker check: " << ready.message() << "\n";
    return conformance::kExitUsage;
  }
  conformance::CurlTransport transport;
  conformance::RunnerOptions options;
  options.env = c.target.env;
  options.ready_timeout = c.target.ready_timeout;
  options.jobs = c.jobs;
  options.strict = c.strict;
  options.stop = c.stop;
  options.baseline = &baseline;  // unknown IDs were refused above
  options.interruption = [] { return conformance::Interruption::instance().signal_name(); };
  conformance::ScenarioRunner runner(target.get(), &transport, options);
  const auto reporters = reporters_for(c, out);
  for (auto& r : reporters) runner.add_reporter(r.get());

  conformance::RunReport header;
  header.tool_version = OW_VERSION;
  header.target = target->describe();
  header.profile = profile.name;
  header.capabilities = profile.capabilities;
  header.catalogue_version = catalogue_version;
  header.catalogue_scenarios = all_ids.size();
  header.fail_on_skip = c.fail_on_skip;
  conformance::RunReport report = runner.run(prepared, header);

  std::size_t listed = 0;
  const std::string new_baseline = expected_failures_text(report, &listed);
  for (auto& r : reporters) r->on_finish(report);
  out.flush();
  if (!c.write_expected_failures_path.empty())
    write_expected_failures(c.write_expected_failures_path, new_baseline, listed, err);
  return conformance::exit_code_for(report);
}

}  // namespace mock_invoker
