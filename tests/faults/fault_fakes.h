// Small fakes for the fault decorators' unit tests: a log writer that
// records, an executor that records specs and completes on demand, and a
// handler that records requests and answers with a canned response.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "reference_runtime/activation_log.h"
#include "reference_runtime/executor.h"
#include "reference_runtime/http_types.h"

namespace faults_test {

// Every event as "out:<line>", "err:<line>", "end+sentinels" or "end".
class RecordingLogWriter : public rr::LogWriter {
 public:
  std::unique_ptr<rr::ActivationLog> Begin() override;
  std::vector<std::string> events;
};

class RecordingExecutor : public rr::Executor {
 public:
  void Run(rr::ActivationSpec spec, rr::ActivationLog* log,
           std::shared_ptr<rr::Cancellation> cancellation, rr::ExecDone done) override;
  void KillAll() override {}
  size_t running() const override { return pending_.size(); }

  // Completes the oldest run as if the action wrote `stdout_lines` (the last
  // one becomes the result line, the others go to the log, as the real
  // executor does).
  void Complete(const std::vector<std::string>& stdout_lines);

  std::vector<rr::ActivationSpec> specs;

 private:
  struct Pending {
    rr::ActivationLog* log;
    rr::ExecDone done;
  };
  std::vector<Pending> pending_;
};

class CannedHandler : public rr::Handler {
 public:
  void Handle(rr::Request request, rr::ResponseCallback done) override {
    requests.push_back(request);
    done(answer);
  }
  rr::Response answer;
  std::vector<rr::Request> requests;
};

rr::Request Post(const std::string& target, const std::string& body);

}  // namespace faults_test
