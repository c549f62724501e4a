#include "tests/runtime/handler_fakes.h"

#include <utility>

#include "reference_runtime/line_splitter.h"

namespace rr_test {

namespace {

class RecordingLog : public rr::ActivationLog {
 public:
  RecordingLog(RecordingLogWriter* writer, int id) : writer_(writer), id_(id) {}
  void Line(rr::LogStream stream, std::string_view line) override {
    writer_->events.push_back(
        {id_, (stream == rr::LogStream::kStdout ? "out:" : "err:") + std::string(line)});
  }
  void Finish(bool sentinels, std::function<void()> written) override {
    writer_->events.push_back({id_, sentinels ? "end+sentinels" : "end"});
    if (written) written();
  }

 private:
  RecordingLogWriter* writer_;
  int id_;
};

}  // namespace

std::unique_ptr<rr::ActivationLog> RecordingLogWriter::Begin() {
  return std::make_unique<RecordingLog>(this, begun++);
}

void FakeExecutor::Run(rr::ActivationSpec spec, rr::ActivationLog* log,
                       std::shared_ptr<rr::Cancellation>, rr::ExecDone done) {
  specs.push_back(spec);
  pending.push_back({std::move(spec), log, std::move(done)});
}

void FakeExecutor::Complete(const std::string& stdout_text, rr::ExecOutcome::End end) {
  Pending run = std::move(pending.front());
  pending.erase(pending.begin());
  rr::LineSplitter lines(
      true, 1 << 20, [&](std::string_view line) { run.log->Line(rr::LogStream::kStdout, line); });
  lines.Feed(stdout_text);
  lines.Finish();
  rr::ExecOutcome outcome;
  outcome.end = end;
  outcome.exit_code = 0;
  outcome.has_result_line = lines.has_last_line();
  outcome.result_line = lines.last_line();
  run.done(std::move(outcome));
}

}  // namespace rr_test
