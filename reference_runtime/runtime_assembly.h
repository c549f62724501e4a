// The one place that builds a runtime's object graph from its Options.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "common/status.h"
#include "reference_runtime/action_store.h"
#include "reference_runtime/actionloop_handler.h"
#include "reference_runtime/activation_log.h"
#include "reference_runtime/background_work.h"
#include "reference_runtime/executor.h"
#include "reference_runtime/http_server.h"
#include "reference_runtime/options.h"
#include "reference_runtime/request_handler.h"
#include "reference_runtime/result_interpreter.h"
#include "reference_runtime/wire_encoder.h"

namespace rr {

// Optional wrappers for each seam, applied once at assembly (a fault module
// fills them; the normal path leaves them empty). Each takes the normal part
// and returns the part to use, usually a decorator owning the original.
struct Decorators {
  std::function<std::unique_ptr<LogWriter>(std::unique_ptr<LogWriter>)> logs;    // (a)
  std::function<std::unique_ptr<Executor>(std::unique_ptr<Executor>)> executor;  // (b)
  std::function<std::unique_ptr<ResultInterpreter>(std::unique_ptr<ResultInterpreter>)>
      results;                                                                        // (c)
  std::function<std::unique_ptr<ActionStore>(std::unique_ptr<ActionStore>)> store;    // (d)
  std::function<std::unique_ptr<WireEncoder>(std::unique_ptr<WireEncoder>)> encoder;  // (e)
  std::function<std::unique_ptr<Handler>(std::unique_ptr<Handler>)> handler;          // (f)
};

// Wraps `slot` so that `outer` applies on top of whatever it already holds
// (faults and variants may both decorate one seam).
template <typename Part>
void ComposeDecorator(std::function<std::unique_ptr<Part>(std::unique_ptr<Part>)>* slot,
                      std::function<std::unique_ptr<Part>(std::unique_ptr<Part>)> outer) {
  auto inner = std::move(*slot);
  *slot = [inner = std::move(inner), outer = std::move(outer)](std::unique_ptr<Part> part) {
    return outer(inner ? inner(std::move(part)) : std::move(part));
  };
}

// A whole runtime: event loop, parts, HTTP server, signal handling.
// Start() prepares the action dir and listens; Run() serves until SIGTERM or
// SIGINT, drains (503 to new requests, running activations get the grace
// period, then are killed) and returns the exit code (0). Single-threaded.
class Runtime {
 public:
  Runtime(Options options, Decorators decorators = {});
  ~Runtime();

  ow::Status Start();
  int Run();
  unsigned short port() const { return server_->port(); }

 private:
  void AssembleActionLoop(const Decorators& decorators);
  void OnSignal();
  void CheckDrained();

  Options options_;
  boost::asio::io_context io_;
  std::unique_ptr<LogWriter> logs_;
  std::unique_ptr<ActionStore> store_;  // DirActionStore, or ActionLoopStore (--actionloop)
  // Joined before the store (its work installs actions) and the loop go.
  std::unique_ptr<BackgroundWork> background_;
  std::unique_ptr<Executor> executor_;
  std::unique_ptr<ResultInterpreter> results_;
  std::unique_ptr<WireEncoder> encoder_;
  std::unique_ptr<Handler> handler_;
  std::unique_ptr<Executor> compile_runner_;  // --actionloop only
  std::unique_ptr<HttpServer> server_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer drain_poll_;
  boost::asio::steady_timer grace_timer_;
  boost::asio::steady_timer hard_stop_;
  bool draining_ = false;
};

}  // namespace rr
