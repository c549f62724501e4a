#include "tests/faults/fault_fakes.h"

#include <utility>

namespace faults_test {

namespace {

class RecordingLog : public rr::ActivationLog {
 public:
  explicit RecordingLog(std::vector<std::string>* events) : events_(events) {}
  void Line(rr::LogStream stream, std::string_view line) override {
    events_->push_back((stream == rr::LogStream::kStdout ? "out:" : "err:") + std::string(line));
  }
  void Finish(bool sentinels, std::function<void()> written) override {
    events_->push_back(sentinels ? "end+sentinels" : "end");
    if (written) written();
  }

 private:
  std::vector<std::string>* events_;
};

}  // namespace

std::unique_ptr<rr::ActivationLog> RecordingLogWriter::Begin() {
  return std::make_unique<RecordingLog>(&events);
}

void RecordingExecutor::Run(rr::ActivationSpec spec, rr::ActivationLog* log,
                            std::shared_ptr<rr::Cancellation>, rr::ExecDone done) {
  specs.push_back(std::move(spec));
  pending_.push_back({log, std::move(done)});
}

void RecordingExecutor::Complete(const std::vector<std::string>& stdout_lines) {
  Pending run = std::move(pending_.front());
  pending_.erase(pending_.begin());
  rr::ExecOutcome outcome;
  outcome.exit_code = 0;
  for (size_t i = 0; i + 1 < stdout_lines.size(); ++i) {
    run.log->Line(rr::LogStream::kStdout, stdout_lines[i]);
  }
  if (!stdout_lines.empty()) {
    outcome.has_result_line = true;
    outcome.result_line = stdout_lines.back();
  }
  run.done(std::move(outcome));
}

rr::Request Post(const std::string& target, const std::string& body) {
  rr::Request request;
  request.method = "POST";
  request.target = target;
  request.body = body;
  request.cancellation = std::make_shared<rr::Cancellation>();
  return request;
}

}  // namespace faults_test
