// ActivationRunner: runs activations of one action the way the platform's
// invoker does, for `mock_invoker invoke`: a cold activation starts a
// runtime, sends /init (retried while refused, every ~100 ms, until the init
// time limit: C4.1) and then /run (never retried); a warm one reuses the
// initialized instance. After a developer error or a timeout the instance is
// destroyed and the next activation is cold again (C4.5). Each activation
// ends as an ActivationRecord: result mapped by C4.4, logs collected up to the
// sentinels (C4.6).
//
// Ownership: borrows the target, transport and clock (they must outlive it);
// owns the running instance (stopped by stop() or the destructor).
// Thread safety: one thread at a time.
// Failure: invoke() returns an error Status only when no runtime could be
// started (never ready, command not found); every runtime misbehaviour is an
// activation outcome in the record instead.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "conformance/invoke/activation.h"
#include "conformance/platform/clock.h"
#include "conformance/platform/http_transport.h"
#include "conformance/platform/platform_request.h"
#include "conformance/platform/runtime_target.h"
#include "contract/contract_text.h"

namespace conformance {

struct InvokeSettings {
  ActionCode code;
  std::string main_name = "main";
  std::map<std::string, std::string> init_params;                // go into the /init env
  nlohmann::json value = nlohmann::json::object();               // the /run argument
  std::chrono::milliseconds limit{60000};                        // per phase (C4.2)
  std::size_t max_response_bytes = contract::kMaxResponseBytes;  // C1.4
  std::size_t log_limit_bytes = contract::kMaxLogBytes;          // C4.6
  std::chrono::milliseconds init_retry_interval{100};
  std::chrono::milliseconds sentinel_wait{3000};  // longest wait for logs after /run
  StartOptions start;
};

class ActivationRunner {
 public:
  ActivationRunner(RuntimeTarget* target, HttpTransport* transport, Clock* clock,
                   InvokeSettings settings);
  ~ActivationRunner();
  ActivationRunner(const ActivationRunner&) = delete;
  ActivationRunner& operator=(const ActivationRunner&) = delete;

  ow::Status invoke(ActivationRecord* record);
  void stop();

  std::size_t instances_started() const { return instances_started_; }
  // The warm, initialized instance, or nullptr (for `bench`: load goes there).
  RuntimeInstance* warm_instance() const { return initialized_ ? instance_.get() : nullptr; }
  // Remarks for the user (no logs available, --url cannot be replaced...),
  // each once; cleared by the call.
  std::vector<std::string> take_notes();

 private:
  HttpResult send_init(const std::string& body);
  std::vector<std::string> collect_logs(const LogMark& mark, bool expect_sentinels,
                                        const std::string& when);
  void note_once(const std::string& note);

  RuntimeTarget* target_;
  HttpTransport* transport_;
  Clock* clock_;
  const InvokeSettings settings_;
  std::unique_ptr<RuntimeInstance> instance_;
  bool initialized_ = false;
  std::size_t instances_started_ = 0;
  std::vector<std::string> notes_, noted_;
};

}  // namespace conformance
