#include "reference_runtime/request_handler.h"

#include <cerrno>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <utility>

#include "contract/contract_text.h"
#include "reference_runtime/activation_env.h"
#include "reference_runtime/log_text.h"

namespace rr {

using nlohmann::json;

namespace {

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

void RequestHandler::Handle(Request request, ResponseCallback done) {
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
    HandleInit(std::move(request), std::move(done));
  } else {
    HandleRun(std::move(request), std::move(done));
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

struct RequestHandler::InitJob {
  InitInput input;
  // Stays an error unless the work gets as far as installing.
  ow::Status installed = ow::Status::Error("internal error while reading the /init body");
};

void RequestHandler::HandleInit(Request request, ResponseCallback done) {
  if (initialized_ || init_running_) {
    // C2.6: the message on stderr, no sentinel.
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
  init_running_ = true;
  auto job = std::make_shared<InitJob>();
  ActionStore* store = parts_.store;
  const size_t size = request.body.size();
  auto work = [job, store, body = std::move(request.body)]() mutable {
    job->input = ReadInitBody(std::move(body));
    InitInput& input = job->input;
    if (!input.malformed.empty() || !input.undecodable.empty()) return;
    // No code keeps the stub (C2.7): that too is a successful init.
    if (input.code.empty()) {
      job->installed = ow::Status::Ok();
    } else {
      job->installed =
          input.binary ? store->InstallArchive(input.code) : store->InstallText(input.code);
    }
    input.code = std::string();  // released here, not on the loop
  };
  OffloadIfLarge(
      parts_.background, size, std::move(work),
      [this, job, done = std::move(done)]() mutable { FinishInit(job.get(), std::move(done)); });
}

void RequestHandler::FinishInit(InitJob* job, ResponseCallback done) {
  init_running_ = false;
  const InitInput& input = job->input;
  if (!input.malformed.empty()) {
    FailInit(400, input.malformed, input.malformed, std::move(done));
    return;
  }
  const std::string failure = !input.undecodable.empty() ? input.undecodable
                              : job->installed.ok()      ? std::string()
                                                         : job->installed.message();
  if (!failure.empty()) {
    FailInit(502, "Init failed: " + failure, std::string(contract::kNoBinary), std::move(done));
    return;
  }
  initialized_ = true;
  init_env_ = std::move(job->input.env);
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

void RequestHandler::HandleRun(Request request, ResponseCallback done) {
  if (running_ >= max_concurrent_) {
    AnswerRunWithSentinels(
        JsonError(429, "Too many concurrent activations: at most " +
                           std::to_string(max_concurrent_) + " may run at once."),
        std::move(done));
    return;
  }
  ++running_;  // the slot is taken while the body is read
  auto input = std::make_shared<RunInput>();
  input->status = 500;
  input->error = "Internal error while reading the /run body.";
  const size_t size = request.body.size();
  auto work = [input, body = std::move(request.body)]() mutable {
    *input = ReadRunBody(std::move(body));
  };
  OffloadIfLarge(parts_.background, size, std::move(work),
                 [this, input, cancellation = std::move(request.cancellation),
                  done = std::move(done)]() mutable {
                   if (input->status != 0) {
                     --running_;
                     AnswerRunWithSentinels(JsonError(input->status, input->error),
                                            std::move(done));
                     return;
                   }
                   StartRun(std::move(*input), std::move(cancellation), std::move(done));
                 });
}

void RequestHandler::StartRun(RunInput input, std::shared_ptr<Cancellation> cancellation,
                              ResponseCallback done) {
  ActivationSpec spec;
  spec.executable = parts_.store->executable();
  spec.cwd = parts_.store->directory();
  spec.stdin_bytes = std::move(input.stdin_bytes);
  spec.argv.push_back(spec.executable);
  if (spec.stdin_bytes.size() <= contract::kMaxArgvArgument) spec.argv.push_back(spec.stdin_bytes);
  spec.env = BuildActivationEnv(base_env_, init_env_, input.context);
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
  const json deadline = input.context.value("deadline", json());
  std::chrono::system_clock::time_point when;
  // A deadline already past on arrival says more about clock skew than about
  // this activation: the platform enforces its own time limit (C4.2).
  if (((deadline.is_string() && ParseDeadline(deadline.get<std::string>(), &when)) ||
       (deadline.is_number_unsigned() && ParseDeadline(deadline.dump(), &when))) &&
      when > std::chrono::system_clock::now()) {
    spec.deadline = when;
  }
  std::shared_ptr<ActivationLog> log = parts_.logs->Begin();
  ActivationLog* raw_log = log.get();
  parts_.executor->Run(std::move(spec), raw_log, std::move(cancellation),
                       [this, log, done = std::move(done)](ExecOutcome outcome) mutable {
                         Response response = parts_.interpreter->Interpret(outcome, *log);
                         log->Finish(true, [this, log, response, done = std::move(done)]() mutable {
                           --running_;
                           done(std::move(response));
                         });
                       });
}

}  // namespace rr
