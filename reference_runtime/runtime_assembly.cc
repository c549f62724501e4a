#include "reference_runtime/runtime_assembly.h"

#include <signal.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <exception>
#include <iostream>
#include <utility>
#include <vector>

#include "reference_runtime/actionloop_store.h"
#include "reference_runtime/log_output.h"
#include "reference_runtime/log_text.h"
#include "reference_runtime/process_executor.h"

extern char** environ;

namespace rr {

namespace {

template <typename Part, typename Wrap>
std::unique_ptr<Part> Decorate(std::unique_ptr<Part> part, const Wrap& wrap) {
  return wrap ? wrap(std::move(part)) : std::move(part);
}

std::vector<std::string> ServerEnvironment() {
  std::vector<std::string> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry)
    env.emplace_back(*entry);
  return env;
}

}  // namespace

Runtime::Runtime(Options options, Decorators decorators)
    : options_(std::move(options)),
      signals_(io_, SIGTERM, SIGINT),
      drain_poll_(io_),
      grace_timer_(io_),
      hard_stop_(io_) {
  // Logs are written on a thread of their own: a slow reader of the
  // runtime's output must not stall the event loop.
  auto output = std::make_unique<ThreadedLogOutput>(
      STDOUT_FILENO, STDERR_FILENO,
      [this](std::function<void()> done) { boost::asio::post(io_, std::move(done)); });
  logs_ =
      Decorate<LogWriter>(std::make_unique<SentinelLogWriter>(std::move(output)), decorators.logs);
  // One store seam in both modes: the same decorators wrap either store.
  std::unique_ptr<ActionStore> store;
  if (options_.actionloop) {
    store = std::make_unique<ActionLoopStore>(options_.action_dir, options_.max_archive_bytes);
  } else {
    store = std::make_unique<DirActionStore>(options_.action_dir, options_.max_archive_bytes);
  }
  store_ = Decorate<ActionStore>(std::move(store), decorators.store);
  results_ =
      Decorate<ResultInterpreter>(std::make_unique<LastLineInterpreter>(), decorators.results);
  encoder_ = Decorate<WireEncoder>(std::make_unique<ContentLengthEncoder>(), decorators.encoder);
  // Large bodies are read (and archives extracted) off the event loop.
  background_ = std::make_unique<ThreadPoolWork>(io_, 2);
  if (options_.actionloop) {
    AssembleActionLoop(decorators);
  } else {
    executor_ = Decorate<Executor>(
        std::make_unique<ProcessExecutor>(io_, options_.max_line_bytes, options_.drain_timeout),
        decorators.executor);
    RequestHandler::Parts parts{store_.get(), executor_.get(), logs_.get(), results_.get(),
                                background_.get()};
    handler_ = Decorate<Handler>(
        std::make_unique<RequestHandler>(parts, ServerEnvironment(), options_.max_concurrent),
        decorators.handler);
  }
  ServerLimits limits;
  limits.max_body_bytes = options_.max_body_bytes;
  limits.header_timeout = options_.header_timeout;
  limits.idle_timeout = options_.idle_timeout;
  server_ = std::make_unique<HttpServer>(io_, handler_.get(), encoder_.get(), limits);
}

// --actionloop: the pool of long-lived processes is the executor seam; the
// compiler runs through a process-per-run executor of its own.
void Runtime::AssembleActionLoop(const Decorators& decorators) {
  auto pool =
      std::make_unique<ActionLoopPool>(io_, logs_.get(), options_.max_line_bytes,
                                       options_.actionloop_pool, options_.actionloop_pool_idle);
  ActionLoopPool* raw_pool = pool.get();
  executor_ = Decorate<Executor>(std::move(pool), decorators.executor);
  // Not a subreaper here: the pool's processes are children the sweep
  // would not know.
  compile_runner_ = std::make_unique<ProcessExecutor>(io_, options_.max_line_bytes,
                                                      options_.drain_timeout, false);
  ActionLoopHandler::Parts parts{store_.get(),          raw_pool,    executor_.get(),
                                 compile_runner_.get(), logs_.get(), results_.get(),
                                 background_.get()};
  handler_ = Decorate<Handler>(
      std::make_unique<ActionLoopHandler>(
          parts, ActionLoopSettings::FromEnvironment(ServerEnvironment()), options_.max_concurrent),
      decorators.handler);
}

// Handlers still queued when the loop stopped are destroyed, never run, with
// the io_context (declared first, so destroyed last).
Runtime::~Runtime() = default;

ow::Status Runtime::Start() {
  ow::Status status = store_->Prepare();
  if (!status.ok()) return status;
  status = server_->Listen(options_.host, options_.port);
  if (!status.ok()) return status;
  if (options_.port == 0) {
    // Only for an ephemeral port: stderr otherwise carries action logs only.
    std::string host = options_.host;
    if (host == "0.0.0.0") host = "127.0.0.1";
    if (host == "::") host = "::1";
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    std::cerr << "reference_runtime listening on " << host << ":" << server_->port() << std::endl;
  }
  signals_.async_wait([this](const boost::system::error_code& error, int) {
    if (!error) OnSignal();
  });
  return ow::Status::Ok();
}

int Runtime::Run() {
  // Last line of defence: an exception out of any handler is reported and
  // the loop goes on serving everyone else (sessions answer their own
  // handler's exceptions with a 500 before it gets here).
  while (true) {
    try {
      io_.run();
      return 0;
    } catch (const std::exception& error) {
      std::cerr << "reference_runtime: internal error: " << EscapeForLog(error.what()) << std::endl;
    } catch (...) {
      std::cerr << "reference_runtime: internal error" << std::endl;
    }
  }
}

void Runtime::OnSignal() {
  if (draining_) return;
  draining_ = true;
  server_->BeginDrain();
  grace_timer_.expires_after(options_.shutdown_grace);
  grace_timer_.async_wait([this](const boost::system::error_code& error) {
    if (!error) executor_->KillAll();
  });
  // Killed activations still need to end and answer; then give up.
  hard_stop_.expires_after(options_.shutdown_grace + options_.drain_timeout +
                           std::chrono::seconds(2));
  hard_stop_.async_wait([this](const boost::system::error_code& error) {
    if (!error) io_.stop();
  });
  CheckDrained();
}

void Runtime::CheckDrained() {
  if (executor_->running() == 0 && server_->in_flight() == 0) {
    io_.stop();
    return;
  }
  drain_poll_.expires_after(std::chrono::milliseconds(10));
  drain_poll_.async_wait([this](const boost::system::error_code& error) {
    if (!error) CheckDrained();
  });
}

}  // namespace rr
