// The contract's /init and /run rules (C2, C3), with no sockets in sight.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "reference_runtime/action_store.h"
#include "reference_runtime/activation_log.h"
#include "reference_runtime/background_work.h"
#include "reference_runtime/executor.h"
#include "reference_runtime/http_types.h"
#include "reference_runtime/request_bodies.h"
#include "reference_runtime/result_interpreter.h"

namespace rr {

// Decides every answer of the runtime. Owns the init state (initialized or
// not, the init env); borrows the store, executor, log writer and result
// interpreter, which must outlive it. Routes: POST /init, POST /run; other
// paths 404, other methods 405, all as JSON {"error": ...}.
// Not thread-safe: one event loop. `done` is called exactly once; for /run
// only after the activation's sentinels have been written.
//
// Bodies of at least kBackgroundBodyBytes are read (and an /init's code
// installed) through `background` when there is one, so that a big archive
// or /run body never holds the loop; the answer comes later. While an /init
// is under way another /init is refused (403); a /run meanwhile runs
// whatever the action dir holds.
class RequestHandler : public Handler {
 public:
  struct Parts {
    ActionStore* store;
    Executor* executor;
    LogWriter* logs;
    ResultInterpreter* interpreter;
    BackgroundWork* background = nullptr;  // null: everything on the loop
  };
  // `base_env` is the server's own environment ("K=V"), passed on to every
  // activation (C1.5); `max_concurrent` (>= 1) caps overlapping runs.
  RequestHandler(Parts parts, std::vector<std::string> base_env, size_t max_concurrent);

  void Handle(Request request, ResponseCallback done) override;

  bool initialized() const { return initialized_; }
  size_t running() const { return running_; }

 private:
  struct InitJob;
  void HandleInit(Request request, ResponseCallback done);
  void FinishInit(InitJob* job, ResponseCallback done);
  void HandleRun(Request request, ResponseCallback done);
  void StartRun(RunInput input, std::shared_ptr<Cancellation> cancellation, ResponseCallback done);
  // C2.9: reason as a log line, sentinels on both streams, then the answer.
  void FailInit(int status, const std::string& reason, const std::string& error,
                ResponseCallback done);
  // A /run answered without running anything still ends with sentinels.
  void AnswerRunWithSentinels(Response response, ResponseCallback done);

  Parts parts_;
  std::vector<std::string> base_env_;
  size_t max_concurrent_;
  bool initialized_ = false;
  bool init_running_ = false;
  std::map<std::string, std::string> init_env_;
  size_t running_ = 0;
};

// Parses the /run `deadline` (epoch milliseconds as a string or number).
bool ParseDeadline(const std::string& text, std::chrono::system_clock::time_point* deadline);

}  // namespace rr
