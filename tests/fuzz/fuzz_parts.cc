#include "tests/fuzz/fuzz_parts.h"

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <utility>

#include "contract/contract_text.h"
#include "reference_runtime/line_splitter.h"

namespace fuzz {

void require(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "fuzz: broken promise: %s\n", what);
  std::abort();
}

namespace {

class CheckingLog : public rr::ActivationLog {
 public:
  ~CheckingLog() override { require(finished_, "an activation log was never finished"); }
  void Line(rr::LogStream, std::string_view line) override {
    require(!finished_, "a log line after Finish");
    require(line.find('\n') == std::string_view::npos, "a log line holds a newline");
    require(line != contract::kSentinel, "a log line forges the sentinel");
  }
  void Finish(bool, std::function<void()> written) override {
    require(!finished_, "Finish called twice");
    finished_ = true;
    if (written) written();
  }

 private:
  bool finished_ = false;
};

void check_spec(const rr::ActivationSpec& spec) {
  require(!spec.argv.empty() && spec.argv[0] == spec.executable, "argv[0] is not the executable");
  for (const auto& entry : spec.env) {
    const size_t equals = entry.find('=');
    require(equals != std::string::npos && equals > 0, "an env entry is not NAME=VALUE");
    require(entry.find('\0') == std::string::npos, "an env entry holds a NUL");
  }
  require(!spec.deadline || *spec.deadline > std::chrono::system_clock::time_point(),
          "a deadline before the epoch");
}

}  // namespace

std::unique_ptr<rr::ActivationLog> CheckingLogWriter::Begin() {
  return std::make_unique<CheckingLog>();
}

void EchoExecutor::Run(rr::ActivationSpec spec, rr::ActivationLog* log,
                       std::shared_ptr<rr::Cancellation>, rr::ExecDone done) {
  check_spec(spec);
  rr::LineSplitter lines(true, 1 << 20,
                         [&](std::string_view line) { log->Line(rr::LogStream::kStdout, line); });
  lines.Feed("echo: " + std::to_string(spec.stdin_bytes.size()) + " bytes\n");
  lines.Feed(spec.stdin_bytes);
  lines.Finish();
  rr::ExecOutcome outcome;
  switch (spec.stdin_bytes.size() % 8) {
    case 5:
      outcome.end = rr::ExecOutcome::End::kDeadline;
      break;
    case 6:
      outcome.end = rr::ExecOutcome::End::kCancelled;
      break;
    case 7:
      outcome.end = rr::ExecOutcome::End::kSpawnFailed;
      outcome.error = "cannot exec " + spec.executable + ": " + spec.stdin_bytes;
      break;
    default:
      outcome.exit_code = 0;
      break;
  }
  outcome.has_result_line = lines.has_last_line();
  outcome.result_line = lines.last_line();
  done(std::move(outcome));
}

ow::Status MemoryStore::InstallText(const std::string& code) {
  code_ = code;
  return ow::Status::Ok();
}

ow::Status MemoryStore::InstallArchive(const std::string& zip_bytes) {
  // What the real store says of a non-zip; the bytes themselves are the
  // archive harness's business.
  if (zip_bytes.size() < 4 || zip_bytes.compare(0, 2, "PK") != 0) {
    return ow::Status::Error("corrupt archive: not a zip (" + zip_bytes.substr(0, 16) + ")");
  }
  code_ = zip_bytes;
  return ow::Status::Ok();
}

rr::Response handle_once(rr::Handler& handler, rr::Request request) {
  int answers = 0;
  rr::Response answer;
  if (!request.cancellation) request.cancellation = std::make_shared<rr::Cancellation>();
  handler.Handle(request, [&](rr::Response response) {
    ++answers;
    answer = std::move(response);
  });
  require(answers == 1, "the handler did not answer exactly once");
  return answer;
}

void check_response(const rr::Response& response) {
  require(response.status >= 200 && response.status <= 599, "a status outside 200-599");
  require(response.content_type == "application/json", "an answer that is not JSON");
  const nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
  require(!body.is_discarded(), "an answer body that does not parse");
  if (response.status >= 400) {
    require(body.is_object() && body.contains("error") && body["error"].is_string(),
            "an error answer without an \"error\" string");
  } else {
    require(body.is_object() || body.is_array(), "a 2xx answer that is no object or array");
  }
}

std::string make_temp_dir(const char* prefix) {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/" + prefix + "XXXXXX";
  require(mkdtemp(pattern.data()) != nullptr, "cannot create a temp dir");
  return pattern;
}

}  // namespace fuzz
