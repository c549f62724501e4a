// `mock_invoker invoke ACTION (target) [options]`: one or more activations of
// an action, done the way the platform does them, printed as activation
// records. Exit: 0 every activation succeeded, 1 any other status, 2 usage,
// 3 the runtime never became ready.
#include <exception>
#include <memory>

#include "conformance/invoke/activation_runner.h"
#include "conformance/platform/curl_transport.h"
#include "conformance/report/verdict.h"
#include "contract/contract_text.h"
#include "mock_invoker/cli_parse.h"
#include "mock_invoker/commands.h"
#include "mock_invoker/shared_options.h"

namespace mock_invoker {
namespace {

using nlohmann::json;

struct InvokeConfig {
  TargetChoice target;
  conformance::InvokeSettings settings;
  long repeat = 1;
  bool result_only = false;
};

cxxopts::Options invoke_options() {
  cxxopts::Options options(
      "mock_invoker invoke",
      "Invoke an action on a runtime the way the platform does (POST /init, then /run) and\n"
      "print the activation record. ACTION is a script (text code), a .zip archive or a\n"
      "directory (zipped on the fly). Exit: 0 success, 1 any other activation status,\n"
      "2 usage error, 3 runtime never ready.");
  add_target_options(options, "");
  add_action_options(options);
  // clang-format off
  options.add_options("action")
      ("name", "action name (default: ACTION's file name without extension)",
       cxxopts::value<std::string>(), "NAME");
  options.add_options("run")
      ("repeat", "activations to run: warm on the same instance, fresh after a developer "
       "error or a timeout; N > 1 prints JSON Lines (one record per line)",
       cxxopts::value<long>()->default_value("1"), "N")
      ("log-limit", "cap on one activation's logs, in bytes",
       cxxopts::value<long>()->default_value(std::to_string(contract::kMaxLogBytes)), "BYTES")
      ("result", "print only each activation's result")
      ("version", "show mock_invoker's version")
      ("h,help", "show this help");
  // clang-format on
  return options;
}

ow::Status validate(const cxxopts::ParseResult& r, InvokeConfig* c) {
  ow::Status st = invocation_from(r, &c->target, &c->settings);
  if (!st.ok()) return st;
  conformance::InvokeSettings& s = c->settings;
  if (r.count("name")) s.code.name = option_string(r, "name");
  c->repeat = r["repeat"].as<long>();
  if (c->repeat < 1 || c->repeat > 100000)
    return ow::Status::Error("--repeat must be between 1 and 100000");
  const long log_limit = r["log-limit"].as<long>();
  if (log_limit < 1) return ow::Status::Error("--log-limit must be positive");
  s.log_limit_bytes = static_cast<std::size_t>(log_limit);
  c->result_only = r.count("result") > 0;
  return ow::Status::Ok();
}

// One activation: indented JSON; with --repeat N > 1, JSON Lines (one compact
// document per line) so `jq -c`, `wc -l` and line-based tools can follow along.
std::string dump(const json& value, bool one_line) {
  return value.dump(one_line ? -1 : 2, ' ', false, json::error_handler_t::replace);
}

int run_invoke(const InvokeConfig& c, CommandIo io) {
  std::unique_ptr<conformance::RuntimeTarget> target;
  if (ow::Status ready = make_prepared_target(c.target, &target); !ready.ok()) {
    io.err << "mock_invoker invoke: " << ready.message() << "\n";
    return conformance::kExitUsage;
  }
  conformance::CurlTransport transport;
  conformance::ActivationRunner runner(target.get(), &transport, conformance::real_clock(),
                                       c.settings);
  int code = conformance::kExitConformant;
  for (long i = 0; i < c.repeat; ++i) {
    conformance::ActivationRecord record;
    ow::Status s = runner.invoke(&record);
    for (const auto& note : runner.take_notes())
      io.err << "mock_invoker invoke: note: " << note << "\n";
    if (!s.ok()) {
      io.err << "mock_invoker invoke: " << s.message() << "\n";
      return conformance::kExitRuntimeNotReady;
    }
    io.out << dump(c.result_only ? record.response.result : conformance::to_json(record),
                   c.repeat > 1)
           << "\n";
    io.out.flush();
    if (!record.response.success()) code = conformance::kExitNonConformant;
  }
  return code;
}

}  // namespace

int invoke_command(const std::vector<std::string>& args, CommandIo io) {
  cxxopts::Options options = invoke_options();
  InvokeConfig config;
  const std::optional<int> done =
      parse_command("invoke", options, {"target", "action", "run"}, args, io,
                    [&](const cxxopts::ParseResult& r) { return validate(r, &config); });
  return done ? *done : run_invoke(config, io);
}

}  // namespace mock_invoker
