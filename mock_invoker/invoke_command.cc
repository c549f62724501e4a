// `mock_invoker invoke ACTION (target) [options]`: one or more activations of
// an action, done the way the platform does them, printed as activation
// records. Exit: 0 every activation succeeded, 1 any other status, 2 usage,
// 3 the runtime never became ready.
#include <exception>
#include <memory>

#include "conformance/activation_runner.h"
#include "conformance/curl_transport.h"
#include "conformance/targets.h"
#include "conformance/verdict.h"
#include "contract/contract_text.h"
#include "mock_invoker/cli_parse.h"
#include "mock_invoker/commands.h"

namespace mock_invoker {
namespace {

using nlohmann::json;

struct InvokeConfig {
  std::string action, launch, image, url, logs_from;
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
  options.positional_help("ACTION");
  // clang-format off
  options.add_options("target")
      ("launch", "command starting a fresh runtime ({port}, {dir} placeholders)",
       cxxopts::value<std::string>(), "CMD")
      ("image", "docker image to start", cxxopts::value<std::string>(), "IMAGE")
      ("url", "an already running runtime", cxxopts::value<std::string>(), "URL")
      ("logs-from", "with --url: command printing the runtime's logs", cxxopts::value<std::string>(),
       "CMD")
      ("env", "the runtime's own environment (repeatable)",
       cxxopts::value<std::vector<std::string>>(), "K=V")
      ("ready-timeout", "how long a runtime may take to accept connections, in ms",
       cxxopts::value<long>()->default_value("30000"), "MS");
  options.add_options("action")
      ("main", "entry point name sent in /init", cxxopts::value<std::string>()->default_value("main"),
       "NAME")
      ("name", "action name (default: ACTION's file name without extension)",
       cxxopts::value<std::string>(), "NAME")
      ("param", "a /run parameter (repeatable); V is taken as JSON when it parses as JSON, "
       "else as a string (--param n=5 is a number, --param s=hello a string)",
       cxxopts::value<std::vector<std::string>>(), "K=V")
      ("params-file", "a JSON object of /run parameters (--param entries override it)",
       cxxopts::value<std::string>(), "FILE")
      ("init-param", "an init parameter, sent as a string in the /init env (repeatable)",
       cxxopts::value<std::vector<std::string>>(), "K=V");
  options.add_options("run")
      ("timeout", "time limit per phase (/init, /run) in ms, 100..300000",
       cxxopts::value<long>()->default_value("60000"), "MS")
      ("repeat", "activations to run: warm on the same instance, fresh after a developer "
       "error or a timeout", cxxopts::value<long>()->default_value("1"), "N")
      ("log-limit", "cap on one activation's logs, in bytes",
       cxxopts::value<long>()->default_value(std::to_string(contract::kMaxLogBytes)), "BYTES")
      ("result", "print only each activation's result")
      ("h,help", "show this help");
  // clang-format on
  options.add_options("positional")("action", "the action", cxxopts::value<std::string>());
  options.parse_positional({"action"});
  return options;
}

std::string opt(const cxxopts::ParseResult& r, const char* name) {
  return r.count(name) ? r[name].as<std::string>() : std::string();
}

ow::Status read_assignments(const cxxopts::ParseResult& r, const char* name,
                            std::vector<std::pair<std::string, std::string>>* out) {
  if (!r.count(name)) return ow::Status::Ok();
  for (const auto& kv : r[name].as<std::vector<std::string>>()) {
    std::string k, v;
    ow::Status s = split_assignment(kv, std::string("--") + name, &k, &v);
    if (!s.ok()) return s;
    out->emplace_back(k, v);
  }
  return ow::Status::Ok();
}

ow::Status validate(const cxxopts::ParseResult& r, InvokeConfig* c) {
  c->action = opt(r, "action");
  if (c->action.empty()) return ow::Status::Error("give the ACTION to invoke");
  c->launch = opt(r, "launch");
  c->image = opt(r, "image");
  c->url = opt(r, "url");
  c->logs_from = opt(r, "logs-from");
  const int targets = (r.count("launch") > 0) + (r.count("image") > 0) + (r.count("url") > 0);
  if (targets != 1) return ow::Status::Error("give exactly one of --launch, --image or --url");
  if (r.count("logs-from") && c->url.empty())
    return ow::Status::Error("--logs-from only goes with --url");
  conformance::InvokeSettings& s = c->settings;
  std::vector<std::pair<std::string, std::string>> pairs;
  ow::Status st = read_assignments(r, "env", &pairs);
  if (!st.ok()) return st;
  for (auto& [k, v] : pairs) s.start.env[k] = v;
  const long ready = r["ready-timeout"].as<long>();
  if (ready < 1 || ready > 600000)
    return ow::Status::Error("--ready-timeout must be between 1 and 600000 ms");
  s.start.ready_timeout = std::chrono::milliseconds(ready);

  st = conformance::load_action_code(c->action, &s.code);
  if (!st.ok()) return st;
  if (r.count("name")) s.code.name = opt(r, "name");
  s.main_name = r["main"].as<std::string>();
  if (r.count("params-file")) {
    st = conformance::load_params_file(opt(r, "params-file"), &s.value);
    if (!st.ok()) return ow::Status::Error("--params-file: " + st.message());
  }
  pairs.clear();
  st = read_assignments(r, "param", &pairs);
  if (!st.ok()) return st;
  for (auto& [k, v] : pairs) s.value[k] = conformance::parse_param_value(v);
  pairs.clear();
  st = read_assignments(r, "init-param", &pairs);
  if (!st.ok()) return st;
  for (auto& [k, v] : pairs) s.init_params[k] = v;

  const long ms = r["timeout"].as<long>();
  if (ms < 100 || ms > 300000)
    return ow::Status::Error("--timeout must be between 100 and 300000 ms (C4.2)");
  s.limit = std::chrono::milliseconds(ms);
  c->repeat = r["repeat"].as<long>();
  if (c->repeat < 1 || c->repeat > 100000)
    return ow::Status::Error("--repeat must be between 1 and 100000");
  const long log_limit = r["log-limit"].as<long>();
  if (log_limit < 1) return ow::Status::Error("--log-limit must be positive");
  s.log_limit_bytes = static_cast<std::size_t>(log_limit);
  c->result_only = r.count("result") > 0;
  return ow::Status::Ok();
}

std::unique_ptr<conformance::RuntimeTarget> make_target(const InvokeConfig& c) {
  if (!c.launch.empty()) return conformance::make_launch_target(c.launch);
  if (!c.image.empty()) return conformance::make_image_target(c.image);
  return conformance::make_url_target(c.url, c.logs_from);
}

std::string dump(const json& value) {
  return value.dump(2, ' ', false, json::error_handler_t::replace);
}

int run_invoke(const InvokeConfig& c, CommandIo io) {
  std::unique_ptr<conformance::RuntimeTarget> target = make_target(c);
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
    io.out << dump(c.result_only ? record.response.result : conformance::to_json(record)) << "\n";
    io.out.flush();
    if (!record.response.success()) code = conformance::kExitNonConformant;
  }
  return code;
}

}  // namespace

int invoke_command(const std::vector<std::string>& args, CommandIo io) {
  cxxopts::Options options = invoke_options();
  cxxopts::ParseResult parsed;
  ow::Status s = parse_args(options, args, &parsed);
  if (s.ok() && parsed.count("help")) {
    io.out << options.help({"target", "action", "run"});
    return conformance::kExitConformant;
  }
  InvokeConfig config;
  if (s.ok()) {
    try {
      s = validate(parsed, &config);
    } catch (const std::exception& e) {  // a value of the wrong type
      s = ow::Status::Error(e.what());
    }
  }
  if (!s.ok()) {
    io.err << "mock_invoker invoke: " << s.message() << "\n"
           << "(run `mock_invoker invoke --help` for the options)\n";
    return conformance::kExitUsage;
  }
  return run_invoke(config, io);
}

}  // namespace mock_invoker
