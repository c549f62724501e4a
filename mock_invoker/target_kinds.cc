#include "mock_invoker/target_kinds.h"

#include "conformance/platform/command_template.h"
#include "conformance/platform/image_target.h"
#include "conformance/platform/launch_target.h"
#include "conformance/platform/url_target.h"
#include "mock_invoker/shared_options.h"

namespace mock_invoker {

using conformance::RuntimeTarget;

namespace {

// A command that splits, and knows the port the harness picked.
ow::Status check_launch(const std::string& command) {
  std::vector<std::string> words;
  ow::Status s = conformance::split_command_line(command, &words);
  if (!s.ok()) return ow::Status::Error("--launch: " + s.message());
  if (command.find("{port}") == std::string::npos) {
    return ow::Status::Error(
        "--launch: the command has no {port}: the runtime must listen on the port the harness "
        "picks (e.g. --launch 'my-runtime --port {port}')");
  }
  return ow::Status::Ok();
}

ow::Status check_url(const std::string& url) {
  std::string host, base;
  unsigned short port = 0;
  return conformance::parse_http_url(url, &host, &port, &base);  // "bad --url '...': why"
}

}  // namespace

const std::vector<TargetKind>& target_kinds() {
  static const std::vector<TargetKind> table = {
      {"launch", "CMD", "command starting a fresh runtime{per} ({port}, {dir} placeholders)",
       "command", true, false,
       [](const TargetChoice& c) -> std::unique_ptr<RuntimeTarget> {
         return std::make_unique<conformance::LaunchTarget>(c.value);
       },
       check_launch},
      {"image", "IMAGE", "docker image to start{per}", "image name", true, false,
       [](const TargetChoice& c) -> std::unique_ptr<RuntimeTarget> {
         return std::make_unique<conformance::ImageTarget>(c.value, c.image_options);
       },
       nullptr},
      {"url", "URL", "an already running runtime (one shared instance)", "URL", false, true,
       [](const TargetChoice& c) -> std::unique_ptr<RuntimeTarget> {
         return std::make_unique<conformance::UrlTarget>(c.value, c.logs_from);
       },
       check_url},
  };
  return table;
}

namespace {

// "--a, --b or --c" for the kinds `keep` selects.
template <typename Keep>
std::string option_list(Keep keep) {
  std::vector<std::string> names;
  for (const TargetKind& kind : target_kinds())
    if (keep(kind)) names.push_back(std::string("--") + kind.option);
  std::string text;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) text += i + 1 == names.size() ? " or " : ", ";
    text += names[i];
  }
  return text;
}

std::string help_text(const TargetKind& kind, const std::string& fresh_per) {
  std::string help = kind.help;
  const std::string per = fresh_per.empty() ? "" : " " + fresh_per;
  const std::size_t at = help.find("{per}");
  if (at != std::string::npos) help.replace(at, 5, per);
  return help;
}

ow::Status image_options_from(const cxxopts::ParseResult& r, TargetChoice* c) {
  const bool given =
      r.count("docker") || r.count("pull") || r.count("docker-arg") || r.count("container-port");
  if (given && std::string(c->kind->option) != "image")
    return ow::Status::Error("--docker, --pull, --docker-arg and --container-port go with --image");
  conformance::ImageOptions& o = c->image_options;
  o.cli = r["docker"].as<std::string>();
  if (o.cli.empty()) return ow::Status::Error("--docker: empty path");
  if (!conformance::parse_pull_policy(r["pull"].as<std::string>(), &o.pull))
    return ow::Status::Error("--pull must be missing, always or never");
  if (r.count("docker-arg")) o.docker_args = r["docker-arg"].as<std::vector<std::string>>();
  const int port = r["container-port"].as<int>();
  if (port < 1 || port > 65535) return ow::Status::Error("--container-port must be 1..65535");
  o.container_port = static_cast<unsigned short>(port);
  return ow::Status::Ok();
}

}  // namespace

std::string target_options_where_fresh(bool fresh) {
  return option_list([fresh](const TargetKind& k) { return k.fresh_instances == fresh; });
}

void add_target_options(cxxopts::Options& options, const std::string& fresh_per) {
  auto adder = options.add_options("target");
  for (const TargetKind& kind : target_kinds())
    adder(kind.option, help_text(kind, fresh_per), cxxopts::value<std::string>(), kind.value_name);
  const std::string logs_kinds = option_list([](const TargetKind& k) { return k.takes_logs_from; });
  // clang-format off
  adder
      ("logs-from", "with " + logs_kinds +
       ": command printing the runtime's logs (e.g. docker logs -f NAME)",
       cxxopts::value<std::string>(), "CMD")
      ("env", "the runtime's own environment (repeatable)",
       cxxopts::value<std::vector<std::string>>(), "K=V")
      ("ready-timeout", "how long a runtime may take to accept connections, in ms",
       cxxopts::value<long>()->default_value("30000"), "MS")
      ("docker", "with --image: the docker client to run",
       cxxopts::value<std::string>()->default_value("docker"), "PATH")
      ("pull", "with --image: pull the image when it is missing, always, or never "
       "(once, before the run)", cxxopts::value<std::string>()->default_value("missing"),
       "missing|always|never")
      ("docker-arg", "with --image: an argument for docker run, before the image (repeatable, "
       "e.g. --docker-arg=--memory=256m)", cxxopts::value<std::vector<std::string>>(), "ARG")
      ("container-port", "with --image: the port the runtime listens on in the container",
       cxxopts::value<int>()->default_value("8080"), "PORT");
  // clang-format on
}

ow::Status target_from(const cxxopts::ParseResult& r, TargetChoice* c) {
  int given = 0;
  for (const TargetKind& kind : target_kinds()) {
    if (!r.count(kind.option)) continue;
    ++given;
    c->kind = &kind;
    c->value = r[kind.option].as<std::string>();
  }
  if (given != 1)
    return ow::Status::Error("give exactly one of " +
                             option_list([](const TargetKind&) { return true; }));
  if (c->value.empty())
    return ow::Status::Error(std::string("--") + c->kind->option + ": empty " +
                             c->kind->value_noun);
  ow::Status s = c->kind->check ? c->kind->check(c->value) : ow::Status::Ok();
  if (!s.ok()) return s;
  c->logs_from = option_string(r, "logs-from");
  if (r.count("logs-from") && !c->kind->takes_logs_from)
    return ow::Status::Error("--logs-from only goes with " +
                             option_list([](const TargetKind& k) { return k.takes_logs_from; }));
  if (!c->logs_from.empty()) {
    std::vector<std::string> words;
    s = conformance::split_command_line(c->logs_from, &words);
    if (!s.ok()) return ow::Status::Error("--logs-from: " + s.message());
  }
  s = image_options_from(r, c);
  if (!s.ok()) return s;
  std::vector<std::pair<std::string, std::string>> env;
  s = read_assignments(r, "env", &env);
  if (!s.ok()) return s;
  for (auto& [k, v] : env) c->env[k] = v;
  const long ready = r["ready-timeout"].as<long>();
  if (ready < 1 || ready > 600000)
    return ow::Status::Error("--ready-timeout must be between 1 and 600000 ms");
  c->ready_timeout = std::chrono::milliseconds(ready);
  return ow::Status::Ok();
}

std::unique_ptr<RuntimeTarget> make_target(const TargetChoice& c) { return c.kind->make(c); }

ow::Status make_prepared_target(const TargetChoice& choice,
                                std::unique_ptr<RuntimeTarget>* target) {
  *target = make_target(choice);
  return (*target)->prepare();
}

}  // namespace mock_invoker
