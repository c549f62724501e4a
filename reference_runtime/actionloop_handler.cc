#include "reference_runtime/actionloop_handler.h"

#include <sys/stat.h>

#include <nlohmann/json.hpp>
#include <utility>

#include "contract/contract_text.h"
#include "reference_runtime/log_text.h"
#include "reference_runtime/request_bodies.h"
#include "reference_runtime/request_handler.h"

namespace rr {

using nlohmann::json;

namespace {

// The version this runtime reports as __OW_PROXY_VERSION.
constexpr char kProxyVersion[] = "reference_runtime-0.1.0";
constexpr char kCannotStart[] = "Cannot start action. Check logs for details.";

std::string PathOf(const std::string& target) { return target.substr(0, target.find('?')); }

}  // namespace

ActionLoopSettings ActionLoopSettings::FromEnvironment(std::vector<std::string> server_env) {
  ActionLoopSettings settings;
  for (const auto& entry : server_env) {
    const size_t equals = entry.find('=');
    if (equals == std::string::npos) continue;
    const std::string name = entry.substr(0, equals);
    const std::string value = entry.substr(equals + 1);
    if (name == "OW_COMPILER") settings.compiler = value;
    if (name == "OW_EXECUTION_ENV") settings.execution_env = value;
    if (name == "OW_WAIT_FOR_ACK") settings.wait_for_ack = !value.empty();
    if (name == "OW_LOG_INIT_ERROR") settings.log_init_error = !value.empty();
  }
  settings.server_env = std::move(server_env);
  return settings;
}

std::vector<std::string> ActionLoopEnvironment(const ActionLoopSettings& settings,
                                               const std::map<std::string, std::string>& init_env) {
  std::map<std::string, std::string> env;
  env["__OW_PROXY_VERSION"] = kProxyVersion;
  if (!settings.execution_env.empty()) env["__OW_EXECUTION_ENV"] = settings.execution_env;
  if (settings.wait_for_ack) env["__OW_WAIT_FOR_ACK"] = "1";
  for (const auto& entry : settings.server_env) {
    const size_t equals = entry.find('=');
    if (entry.rfind("__OW_", 0) == 0 && equals != std::string::npos)
      env[entry.substr(0, equals)] = entry.substr(equals + 1);
  }
  for (const auto& [name, value] : init_env) env[name] = value;
  std::vector<std::string> out;
  out.reserve(env.size());
  for (const auto& [name, value] : env) out.push_back(name + "=" + value);
  return out;
}

ActionLoopHandler::ActionLoopHandler(Parts parts, ActionLoopSettings settings,
                                     size_t max_concurrent)
    : parts_(parts),
      settings_(std::move(settings)),
      installer_(parts.store, settings_.compiler, parts.compile_runner),
      max_concurrent_(max_concurrent) {}

void ActionLoopHandler::Handle(Request request, ResponseCallback done) {
  const std::string path = PathOf(request.target);
  if (path != "/init" && path != "/run") {
    done(JsonError(404, "Not found: " + path));
  } else if (request.method != "POST") {
    done(JsonError(405, "Method not allowed: use POST " + path));
  } else if (path == "/init") {
    HandleInit(std::move(request), std::move(done));
  } else {
    HandleRun(std::move(request), std::move(done));
  }
}

void ActionLoopHandler::AnswerWithSentinels(const std::string& reason, Response response,
                                            ResponseCallback done, bool reason_is_output) {
  std::shared_ptr<ActivationLog> log = parts_.logs->Begin();
  if (reason_is_output) {
    // A compiler's output: its lines, as the action's own logs are.
    std::string_view rest = reason;
    while (!rest.empty()) {
      const size_t end = std::min(rest.find('\n'), rest.size());
      log->Line(LogStream::kStderr, rest.substr(0, end));
      rest.remove_prefix(std::min(end + 1, rest.size()));
    }
  } else {
    // Outside bytes (env keys, entry names) must not forge log lines.
    log->Line(LogStream::kStderr, EscapeForLog(reason));
  }
  log->Finish(true,
              [log, response, done = std::move(done)]() mutable { done(std::move(response)); });
}

void ActionLoopHandler::FailInit(const std::string& error, const char* generic,
                                 const std::string& specific, ResponseCallback done,
                                 bool error_is_output) {
  initializing_ = false;
  AnswerWithSentinels(error, JsonError(502, settings_.log_init_error ? generic : specific),
                      std::move(done), error_is_output);
}

// An /init body read and, when it holds code, the code placed (off the loop
// for a big body).
struct ActionLoopHandler::InitJob {
  InitInput input;
  bool has_code = false;
  ActionLoopInstaller::Result placed;
};

void ActionLoopHandler::HandleInit(Request request, ResponseCallback done) {
  if (initialized_ || initializing_) {
    const std::string message = initialized_
                                    ? std::string(contract::kInitTwice)
                                    : "Cannot initialize the action while another /init runs.";
    std::shared_ptr<ActivationLog> log = parts_.logs->Begin();
    log->Line(LogStream::kStderr, message);
    Response response = JsonError(403, message);
    log->Finish(false,
                [log, response, done = std::move(done)]() mutable { done(std::move(response)); });
    return;
  }
  initializing_ = true;
  auto job = std::make_shared<InitJob>();
  job->input.malformed = "internal error while reading the /init body";
  const size_t size = request.body.size();
  OffloadIfLarge(
      parts_.background, size,
      [job, installer = &installer_, body = std::move(request.body)]() mutable {
        job->input = ReadInitBody(std::move(body));
        InitInput& input = job->input;
        if (!input.malformed.empty() || !input.undecodable.empty() || input.code.empty()) return;
        job->placed = installer->Place(input.code);
        input.code = std::string();  // released here, not on the loop
        job->has_code = true;
      },
      [this, job, done = std::move(done)]() mutable { InstallAction(job.get(), std::move(done)); });
}

void ActionLoopHandler::InstallAction(InitJob* job, ResponseCallback done) {
  InitInput& input = job->input;
  if (!input.malformed.empty()) {
    initializing_ = false;
    AnswerWithSentinels(input.malformed, JsonError(400, input.malformed), std::move(done));
    return;
  }
  if (!input.undecodable.empty()) {
    initializing_ = false;
    const std::string message = "cannot decode the request: " + input.undecodable;
    AnswerWithSentinels(message, JsonError(400, message), std::move(done));
    return;
  }
  if (!job->has_code) {
    initializing_ = false;
    const std::string message(contract::kNoCode);
    AnswerWithSentinels(message, JsonError(403, message), std::move(done));
    return;
  }
  const std::string main_name = input.main.empty() ? "main" : input.main;
  std::vector<std::string> process_env = ActionLoopEnvironment(settings_, input.env);
  installer_.Compile(
      std::move(job->placed), main_name, process_env,
      [this, process_env, done = std::move(done)](ActionLoopInstaller::Result installed) mutable {
        if (!installed.status.ok()) {
          RemoveActionDir(installed.action_dir);
          const std::string message = installed.status.message();
          FailInit(message, contract::kNoBinary.data(), message, std::move(done),
                   installed.compiler_output);
          return;
        }
        StartAction(installed, std::move(process_env), std::move(done));
      });
}

void ActionLoopHandler::StartAction(const ActionLoopInstaller::Result& installed,
                                    std::vector<std::string> env, ResponseCallback done) {
  std::string notice;
  ow::Status status = CheckExecutionEnv(installed.bin_dir, settings_.execution_env, &notice);
  if (!notice.empty()) {
    std::unique_ptr<ActivationLog> log = parts_.logs->Begin();
    log->Line(LogStream::kStdout, notice);
    log->Finish(false, nullptr);
  }
  if (!status.ok()) {
    RemoveActionDir(installed.action_dir);
    FailInit(status.message(), kCannotStart, "cannot start action: " + status.message(),
             std::move(done));
    return;
  }
  LoopLaunch launch{installed.bin_dir + "/exec", std::move(env), installed.bin_dir};
  chmod(launch.executable.c_str(), 0755);  // as StartLatestAction does
  const std::string action_dir = installed.action_dir;
  parts_.pool->Start(std::move(launch), settings_.wait_for_ack,
                     [this, action_dir, done = std::move(done)](ow::Status started) mutable {
                       if (!started.ok()) {
                         RemoveActionDir(action_dir);
                         FailInit(started.message(), kCannotStart,
                                  "cannot start action: " + started.message(), std::move(done));
                         return;
                       }
                       initializing_ = false;
                       initialized_ = true;
                       Response response;
                       response.body = R"({"ok":true})";
                       done(std::move(response));
                     });
}

// A /run body read into the activation's stdin line and deadline; an error
// answer (status and text) unless it is fit to run.
struct ActionLoopHandler::RunJob {
  int status = 500;
  std::string error = "internal error while reading the /run body";
  ActivationSpec spec;
};

void ActionLoopHandler::ReadRun(std::string body, RunJob* job) {
  json parsed;
  if (!ParseBody(body, &parsed, &job->error)) {
    job->status = 400;
    return;
  }
  body = std::string();
  if (!parsed.contains("value")) parsed["value"] = json::object();
  if (!parsed["value"].is_object() && !parsed["value"].is_array()) {
    job->status = 404;
    job->error = std::string(contract::kNotDictionaryArgument);
    return;
  }
  // The whole body, one line: runHandler.go forwards it as it came (minus
  // newlines); compact JSON is that, with invalid UTF-8 replaced.
  job->spec.stdin_bytes = parsed.dump(-1, ' ', false, json::error_handler_t::replace);
  const json deadline = parsed.value("deadline", json());
  std::chrono::system_clock::time_point when;
  if (((deadline.is_string() && ParseDeadline(deadline.get<std::string>(), &when)) ||
       (deadline.is_number_unsigned() && ParseDeadline(deadline.dump(), &when))) &&
      when > std::chrono::system_clock::now()) {
    job->spec.deadline = when;
  }
  job->status = 0;
  job->error.clear();
}

void ActionLoopHandler::HandleRun(Request request, ResponseCallback done) {
  if (!parts_.pool->has_action()) {
    AnswerWithSentinels("no action defined yet", JsonError(500, "no action defined yet"),
                        std::move(done));
    return;
  }
  if (running_ >= max_concurrent_) {
    const std::string message = "Too many concurrent activations: at most " +
                                std::to_string(max_concurrent_) + " may run or wait at once.";
    AnswerWithSentinels(message, JsonError(429, message), std::move(done));
    return;
  }
  ++running_;  // a slot from here on, while the body is read too
  auto job = std::make_shared<RunJob>();
  const size_t size = request.body.size();
  OffloadIfLarge(
      parts_.background, size,
      [job, body = std::move(request.body)]() mutable { ReadRun(std::move(body), job.get()); },
      [this, job, cancellation = request.cancellation, done = std::move(done)]() mutable {
        if (job->status != 0) {
          AnswerWithSentinels(job->error, JsonError(job->status, job->error),
                              [this, done = std::move(done)](Response response) mutable {
                                --running_;
                                done(std::move(response));
                              });
          return;
        }
        std::shared_ptr<ActivationLog> log = parts_.logs->Begin();
        ActivationLog* raw_log = log.get();
        parts_.executor->Run(std::move(job->spec), raw_log, cancellation,
                             [this, log, done = std::move(done)](ExecOutcome outcome) mutable {
                               AnswerActivation(std::move(outcome), std::move(log),
                                                std::move(done));
                             });
      });
}

void ActionLoopHandler::AnswerActivation(ExecOutcome outcome, std::shared_ptr<ActivationLog> log,
                                         ResponseCallback done) {
  Response response;
  if (outcome.end == ExecOutcome::End::kSpawnFailed) {
    log->Line(LogStream::kStderr, outcome.error);
    response = JsonError(502, outcome.error);
  } else if (outcome.end == ExecOutcome::End::kExited && !outcome.has_result_line) {
    // runHandler.go answers "command exited" (with 400; 502 here, C3.4).
    response = JsonError(502, outcome.error.empty() ? "command exited" : outcome.error);
  } else {
    response = parts_.interpreter->Interpret(outcome, *log);
  }
  log->Finish(true, [this, log, response, done = std::move(done)]() mutable {
    --running_;
    done(std::move(response));
  });
}

}  // namespace rr
