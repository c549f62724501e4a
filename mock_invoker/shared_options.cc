#include "mock_invoker/shared_options.h"

#include <exception>

#include "conformance/platform/platform_request.h"
#include "conformance/platform/targets.h"
#include "conformance/report/verdict.h"
#include "mock_invoker/options.h"

namespace mock_invoker {

std::optional<int> parse_command(
    const std::string& name, cxxopts::Options& options, const std::vector<std::string>& help_groups,
    const std::vector<std::string>& args, CommandIo io,
    const std::function<ow::Status(const cxxopts::ParseResult&)>& validate) {
  cxxopts::ParseResult parsed;
  ow::Status s = parse_args(options, args, &parsed);
  if (s.ok() && parsed.count("help")) {
    io.out << options.help(help_groups);
    return conformance::kExitConformant;
  }
  if (s.ok()) {
    try {
      s = validate(parsed);
    } catch (const std::exception& e) {  // a value of the wrong type
      s = ow::Status::Error(e.what());
    }
  }
  if (s.ok()) return std::nullopt;
  io.err << "mock_invoker " << name << ": " << s.message() << "\n"
         << "(run `mock_invoker " << name << " --help` for the options)\n";
  return conformance::kExitUsage;
}

std::string option_string(const cxxopts::ParseResult& r, const char* name) {
  return r.count(name) ? r[name].as<std::string>() : std::string();
}

ow::Status read_assignments(const cxxopts::ParseResult& r, const char* name,
                            std::vector<std::pair<std::string, std::string>>* out) {
  if (!r.count(name)) return ow::Status::Ok();
  for (const auto& kv : r[name].as<std::vector<std::string>>()) {
    std::string k, v;
    ow::Status s = split_assignment(kv, std::string("--") + name, &k, &v);
    if (!s.ok()) return s;
    out->emplace_back(std::move(k), std::move(v));
  }
  return ow::Status::Ok();
}

void add_target_options(cxxopts::Options& options, const std::string& fresh_per) {
  const std::string per = fresh_per.empty() ? "" : " " + fresh_per;
  // clang-format off
  options.add_options("target")
      ("launch", "command starting a fresh runtime" + per + " ({port}, {dir} placeholders)",
       cxxopts::value<std::string>(), "CMD")
      ("image", "docker image to start" + per, cxxopts::value<std::string>(), "IMAGE")
      ("url", "an already running runtime (one shared instance)", cxxopts::value<std::string>(),
       "URL")
      ("logs-from", "with --url: command printing the runtime's logs (e.g. docker logs -f NAME)",
       cxxopts::value<std::string>(), "CMD")
      ("env", "the runtime's own environment (repeatable)",
       cxxopts::value<std::vector<std::string>>(), "K=V")
      ("ready-timeout", "how long a runtime may take to accept connections, in ms",
       cxxopts::value<long>()->default_value("30000"), "MS");
  // clang-format on
}

ow::Status target_from(const cxxopts::ParseResult& r, TargetChoice* c) {
  c->launch = option_string(r, "launch");
  c->image = option_string(r, "image");
  c->url = option_string(r, "url");
  c->logs_from = option_string(r, "logs-from");
  const int targets = (r.count("launch") > 0) + (r.count("image") > 0) + (r.count("url") > 0);
  if (targets != 1) return ow::Status::Error("give exactly one of --launch, --image or --url");
  if (r.count("launch") && c->launch.empty()) return ow::Status::Error("--launch: empty command");
  if (r.count("image") && c->image.empty()) return ow::Status::Error("--image: empty image name");
  if (r.count("url") && c->url.empty()) return ow::Status::Error("--url: empty URL");
  if (r.count("logs-from") && c->url.empty())
    return ow::Status::Error("--logs-from only goes with --url");
  std::vector<std::pair<std::string, std::string>> env;
  ow::Status s = read_assignments(r, "env", &env);
  if (!s.ok()) return s;
  for (auto& [k, v] : env) c->env[k] = v;
  const long ready = r["ready-timeout"].as<long>();
  if (ready < 1 || ready > 600000)
    return ow::Status::Error("--ready-timeout must be between 1 and 600000 ms");
  c->ready_timeout = std::chrono::milliseconds(ready);
  return ow::Status::Ok();
}

std::unique_ptr<conformance::RuntimeTarget> make_target(const TargetChoice& c) {
  if (!c.launch.empty()) return conformance::make_launch_target(c.launch);
  if (!c.image.empty()) return conformance::make_image_target(c.image);
  return conformance::make_url_target(c.url, c.logs_from);
}

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
