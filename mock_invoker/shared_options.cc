#include "mock_invoker/shared_options.h"

#include "conformance/platform/platform_request.h"
#include "mock_invoker/options.h"

namespace mock_invoker {

void add_action_options(cxxopts::Options& options) {
  options.positional_help("ACTION");
  // clang-format off
  options.add_options("action")
      ("main", "entry point name sent in /init", cxxopts::value<std::string>()->default_value("main"),
       "NAME")
      ("param", "a /run parameter (repeatable); V is taken as JSON when it parses as JSON, "
       "else as a string (--param n=5 is a number, --param s=hello a string)",
       cxxopts::value<std::vector<std::string>>(), "K=V")
      ("params-file", "a JSON object of /run parameters (--param entries override it)",
       cxxopts::value<std::string>(), "FILE")
      ("init-param", "an init parameter, sent as a string in the /init env (repeatable)",
       cxxopts::value<std::vector<std::string>>(), "K=V")
      ("timeout", "time limit per phase (/init, /run) in ms, 100..300000",
       cxxopts::value<long>()->default_value("60000"), "MS");
  options.add_options("positional")("action", "the action", cxxopts::value<std::string>());
  // clang-format on
  options.parse_positional({"action"});
}

ow::Status action_from(const cxxopts::ParseResult& r, conformance::InvokeSettings* s) {
  const std::string action = option_string(r, "action");
  if (action.empty()) return ow::Status::Error("give the ACTION (a script, a .zip or a directory)");
  ow::Status st = conformance::load_action_code(action, &s->code);
  if (!st.ok()) return st;
  s->main_name = r["main"].as<std::string>();
  if (r.count("params-file")) {
    st = conformance::load_params_file(option_string(r, "params-file"), &s->value);
    if (!st.ok()) return ow::Status::Error("--params-file: " + st.message());
  }
  std::vector<std::pair<std::string, std::string>> pairs;
  st = read_assignments(r, "param", &pairs);
  if (!st.ok()) return st;
  for (auto& [k, v] : pairs) s->value[k] = conformance::parse_param_value(v);
  pairs.clear();
  st = read_assignments(r, "init-param", &pairs);
  if (!st.ok()) return st;
  for (auto& [k, v] : pairs) s->init_params[k] = v;
  const long ms = r["timeout"].as<long>();
  if (ms < 100 || ms > 300000)
    return ow::Status::Error("--timeout must be between 100 and 300000 ms (C4.2)");
  s->limit = std::chrono::milliseconds(ms);
  return ow::Status::Ok();
}

ow::Status invocation_from(const cxxopts::ParseResult& r, TargetChoice* target,
                           conformance::InvokeSettings* settings) {
  ow::Status st = target_from(r, target);
  if (!st.ok()) return st;
  settings->start.env = target->env;
  settings->start.ready_timeout = target->ready_timeout;
  return action_from(r, settings);
}

}  // namespace mock_invoker
