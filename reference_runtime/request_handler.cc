#include "reference_runtime/request_handler.h"

#include <cerrno>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <utility>

#include "contract/contract_text.h"
#include "reference_runtime/activation_env.h"
#include "reference_runtime/base64.h"
#include "reference_runtime/json_depth.h"
#include "reference_runtime/log_text.h"

namespace rr {

using nlohmann::json;

namespace {

// Parses a request body; false with a reason for malformed or absurdly
// nested JSON (the serializer recurses).
bool ParseBody(const std::string& body, json* out, std::string* error) {
  if (JsonNestingDepth(body, kMaxJsonDepth) > kMaxJsonDepth) {
    *error = "Malformed request: JSON nested too deeply.";
    return false;
  }
  *out = json::parse(body, nullptr, false);
  if (out->is_discarded()) {
    *error = "Malformed request: the body is not valid JSON.";
    return false;
  }
  if (!out->is_object()) {
    *error = "Malformed request: the body must be a JSON object.";
    return false;
  }
  return true;
}

std::string PathOf(const std::string& target) { return target.substr(0, target.find('?')); }

}  // namespace

bool ParseDeadline(const std::string& text, std::chrono::system_clock::time_point* deadline) {
  using std::chrono::milliseconds;
  using std::chrono::system_clock;
  if (text.empty() || text.size() > 18) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  const long long millis = std::strtoll(text.c_str(), nullptr, 10);
  // system_clock counts nanoseconds in 64 bits: past about the year 2262 the
  // conversion would overflow (undefined behaviour). Such a deadline is as
  // good as none.
  const long long latest =
      std::chrono::duration_cast<milliseconds>(system_clock::time_point::max().time_since_epoch())
          .count();
  if (millis >= latest) return false;
  *deadline = system_clock::time_point(milliseconds(millis));
  return true;
}

RequestHandler::RequestHandler(Parts parts, std::vector<std::string> base_env,
                               size_t max_concurrent)
    : parts_(parts), base_env_(std::move(base_env)), max_concurrent_(max_concurrent) {}

void RequestHandler::Handle(const Request& request, ResponseCallback done) {
  const std::string path = PathOf(request.target);
  if (path != "/init" && path != "/run") {
    done(JsonError(404, "Not found: " + path));
    return;
  }
  if (request.method != "POST") {
    Response response = JsonError(405, "Method not allowed: use POST " + path);
    done(std::move(response));
    return;
  }
  if (path == "/init") {
    HandleInit(request, std::move(done));
  } else {
    HandleRun(request, std::move(done));
  }
}

void RequestHandler::FailInit(int status, const std::string& reason, const std::string& error,
                              ResponseCallback done) {
  std::shared_ptr<ActivationLog> log = parts_.logs->Begin();
  log->Line(LogStream::kStderr, EscapeForLog(reason));
  Response response = JsonError(status, error);
  log->Finish(true,
              [log, response, done = std::move(done)]() mutable { done(std::move(response)); });
}

void RequestHandler::HandleInit(const Request& request, ResponseCallback done) {
  if (initialized_) {
    // C2.6: the message on stderr, no sentinel.
    const std::string message(contract::kInitTwice);
    std::shared_ptr<ActivationLog> log = parts_.logs->Begin();
    log->Line(LogStream::kStderr, message);
    Response response = JsonError(403, message);
    log->Finish(false,
                [log, response, done = std::move(done)]() mutable { done(std::move(response)); });
    return;
  }
  json body;
  std::string error;
  if (!ParseBody(request.body, &body, &error)) {
    FailInit(400, error, error, std::move(done));
    return;
  }
  const json value = body.contains("value") ? body["value"] : json::object();
  if (!value.is_object()) {
    FailInit(400, "Malformed init: value must be an object.",
             "Malformed init: value must be an object.", std::move(done));
    return;
  }
  const json code = value.value("code", json());
  const json env = value.value("env", json());
  if (!(code.is_null() || code.is_string()) || !(env.is_null() || env.is_object())) {
    const std::string reason = "Malformed init: code must be a string and env an object.";
    FailInit(400, reason, reason, std::move(done));
    return;
  }
  std::map<std::string, std::string> init_env;
  if (env.is_object()) {
    for (const auto& [key, item] : env.items()) {
      std::string text = EnvText(item);
      const std::string problem = EnvEntryProblem(key, text);
      if (!problem.empty()) {
        const std::string reason = "Malformed init: " + problem + ".";
        FailInit(400, reason, reason, std::move(done));
        return;
      }
      init_env[key] = std::move(text);
    }
  }
  const bool binary = value.value("binary", json(false)) == json(true);
  const std::string code_text = code.is_string() ? code.get<std::string>() : "";
  ow::Status status;
  if (!code_text.empty()) {
    if (binary) {
      std::string archive;
      if (!DecodeBase64(code_text, &archive, &error)) {
        status = ow::Status::Error(error);
      } else {
        status = parts_.store->InstallArchive(archive);
      }
    } else {
      status = parts_.store->InstallText(code_text);
    }
  }
  // No code keeps the stub (C2.7): that too is a successful init.
  if (!status.ok()) {
    FailInit(502, "Init failed: " + status.message(), std::string(contract::kNoBinary),
             std::move(done));
    return;
  }
  initialized_ = true;
  init_env_ = std::move(init_env);
  Response response;
  response.body = R"({"ok":true})";
  done(std::move(response));
}

void RequestHandler::AnswerRunWithSentinels(Response response, ResponseCallback done) {
  std::shared_ptr<ActivationLog> log = parts_.logs->Begin();
  log->Line(LogStream::kStderr,
            EscapeForLog(json::parse(response.body, nullptr, false).value("error", response.body)));
  log->Finish(true,
              [log, response, done = std::move(done)]() mutable { done(std::move(response)); });
}

void RequestHandler::HandleRun(const Request& request, ResponseCallback done) {
  if (running_ >= max_concurrent_) {
    AnswerRunWithSentinels(
        JsonError(429, "Too many concurrent activations: at most " +
                           std::to_string(max_concurrent_) + " may run at once."),
        std::move(done));
    return;
  }
  json body;
  std::string error;
  if (!ParseBody(request.body, &body, &error)) {
    AnswerRunWithSentinels(JsonError(400, error), std::move(done));
    return;
  }
  const json value = body.contains("value") ? body["value"] : json::object();
  if (!value.is_object() && !value.is_array()) {
    AnswerRunWithSentinels(JsonError(404, std::string(contract::kNotDictionaryArgument)),
                           std::move(done));
    return;
  }
  ActivationSpec spec;
  spec.executable = parts_.store->executable();
  spec.cwd = parts_.store->directory();
  spec.stdin_bytes = value.dump(-1, ' ', false, json::error_handler_t::replace);
  spec.argv.push_back(spec.executable);
  if (spec.stdin_bytes.size() <= contract::kMaxArgvArgument) spec.argv.push_back(spec.stdin_bytes);
  spec.env = BuildActivationEnv(base_env_, init_env_, body);
  // The action runs in the action dir (C3.8): a PWD inherited from the
  // server would point elsewhere.
  bool has_pwd = false;
  for (auto& entry : spec.env) {
    if (entry.rfind("PWD=", 0) == 0) {
      entry = "PWD=" + spec.cwd;
      has_pwd = true;
    }
  }
  if (!has_pwd) spec.env.push_back("PWD=" + spec.cwd);
  const json deadline = body.value("deadline", json());
  std::chrono::system_clock::time_point when;
  // A deadline already past on arrival says more about clock skew than about
  // this activation: the platform enforces its own time limit (C4.2).
  if (((deadline.is_string() && ParseDeadline(deadline.get<std::string>(), &when)) ||
       (deadline.is_number_unsigned() && ParseDeadline(deadline.dump(), &when))) &&
      when > std::chrono::system_clock::now()) {
    spec.deadline = when;
  }
  ++running_;
  std::shared_ptr<ActivationLog> log = parts_.logs->Begin();
  ActivationLog* raw_log = log.get();
  parts_.executor->Run(std::move(spec), raw_log, request.cancellation,
                       [this, log, done = std::move(done)](ExecOutcome outcome) mutable {
                         Response response = parts_.interpreter->Interpret(outcome, *log);
                         log->Finish(true, [this, log, response, done = std::move(done)]() mutable {
                           --running_;
                           done(std::move(response));
                         });
                       });
}

}  // namespace rr
