// /init and /run in --actionloop mode: the Go actionloop proxy's rules
// (openwhisk/initHandler.go, runHandler.go, actionProxy.go) on top of an
// ActionLoopPool. Where the proxy has a defect the contract names, the
// contract's rule wins (see reference_runtime/README.md, "--actionloop").
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "reference_runtime/actionloop_install.h"
#include "reference_runtime/actionloop_pool.h"
#include "reference_runtime/activation_log.h"
#include "reference_runtime/background_work.h"
#include "reference_runtime/http_types.h"
#include "reference_runtime/result_interpreter.h"

namespace rr {

// What the Go proxy reads from its own environment.
struct ActionLoopSettings {
  std::string compiler;                 // OW_COMPILER
  std::string execution_env;            // OW_EXECUTION_ENV
  bool wait_for_ack = false;            // OW_WAIT_FOR_ACK non-empty
  bool log_init_error = false;          // OW_LOG_INIT_ERROR non-empty
  std::vector<std::string> server_env;  // the whole environment, "K=V"

  static ActionLoopSettings FromEnvironment(std::vector<std::string> server_env);
};

// The proxy's SetEnv: the environment of the action's process (and, with
// PATH, of the compiler): __OW_PROXY_VERSION, __OW_EXECUTION_ENV,
// __OW_WAIT_FOR_ACK, every __OW_* variable of the server, then the init
// `env` (strings as they are, other values as JSON). Nothing else: the
// process does not inherit PATH or HOME, as with the Go proxy.
std::vector<std::string> ActionLoopEnvironment(const ActionLoopSettings& settings,
                                               const std::map<std::string, std::string>& init_env);

class ActionLoopHandler : public Handler {
 public:
  struct Parts {
    ActionStore* store;    // places /init's code (maybe decorated)
    ActionLoopPool* pool;  // for starting the action
    Executor* executor;    // runs activations (the pool, maybe decorated)
    Executor* compile_runner;
    LogWriter* logs;
    ResultInterpreter* interpreter;
    BackgroundWork* background = nullptr;  // reads big bodies; null: on the loop
  };
  ActionLoopHandler(Parts parts, ActionLoopSettings settings, size_t max_concurrent);

  void Handle(Request request, ResponseCallback done) override;

 private:
  struct InitJob;
  struct RunJob;
  // Bodies of kBackgroundBodyBytes or more are read through `background`.
  void HandleInit(Request request, ResponseCallback done);
  void InstallAction(InitJob* job, ResponseCallback done);
  void StartAction(const ActionLoopInstaller::Result& installed, std::vector<std::string> env,
                   ResponseCallback done);
  void HandleRun(Request request, ResponseCallback done);
  static void ReadRun(std::string body, RunJob* job);
  void AnswerActivation(ExecOutcome outcome, std::shared_ptr<ActivationLog> log,
                        ResponseCallback done);
  // The reason on stderr, sentinels on both streams, then the answer.
  // `reason_is_output`: the reason is a compiler's output, logged line by
  // line; any other reason is escaped into one line.
  void AnswerWithSentinels(const std::string& reason, Response response, ResponseCallback done,
                           bool reason_is_output = false);
  // A failed compile or start: OW_LOG_INIT_ERROR decides what the body says.
  void FailInit(const std::string& error, const char* generic, const std::string& specific,
                ResponseCallback done, bool error_is_output = false);

  Parts parts_;
  ActionLoopSettings settings_;
  ActionLoopInstaller installer_;
  size_t max_concurrent_;
  bool initialized_ = false;
  bool initializing_ = false;
  size_t running_ = 0;
};

}  // namespace rr
