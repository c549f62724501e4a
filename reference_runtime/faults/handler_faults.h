// Faults on seam (f), the request handler: requests rewritten before the
// contract logic sees them, or answers changed (or withheld) after it.
#pragma once

#include <memory>
#include <vector>

#include "reference_runtime/activation_log.h"
#include "reference_runtime/http_types.h"

namespace rr::faults {

enum class HandlerFault {
  kSentinelAfterInit,    // C2.1: a successful /init writes sentinels
  kSecondInitAccepted,   // C2.6: a second /init answers 200
  kSecondInitOtherText,  // C2.6: the refusal carries another text
  kInitEnvIgnored,       // C2.5: /init's env is dropped
  kContextNotExported,   // C3.3: /run keys other than value are dropped
  kNonObjectValue,       // C3.2: a scalar value runs the action (as {})
  kErrorsAs503,          // C1.3: every error status becomes 503
  kNeverAnswers,         // C4.2: /run runs but its answer is never sent
  kExitDuringRun,        // C4.4: the server exits before answering a /run
  kMalformedRunAsEmpty,  // C3.2: a /run body that is not JSON runs the action with {}
  kNonObjectWedges,      // C3.2: after a non-object value every later /run is refused
};

// The refusal text kSecondInitOtherText uses.
inline constexpr char kOtherInitTwiceText[] = "Action already initialized.";
// Exit status of the server under kExitDuringRun.
inline constexpr int kExitDuringRunStatus = 70;

// Wraps a Handler (owned). `logs` (borrowed, must outlive this) is needed by
// kSentinelAfterInit only and may be null otherwise. Under kNeverAnswers the
// withheld callbacks are kept (never called) until destruction, so the
// connections stay open. One event loop, like the inner handler.
class FaultyHandler : public Handler {
 public:
  FaultyHandler(std::unique_ptr<Handler> inner, HandlerFault fault, LogWriter* logs);
  void Handle(Request request, ResponseCallback done) override;

 private:
  void HandleInit(const Request& request, ResponseCallback done);
  void HandleRun(const Request& request, ResponseCallback done);

  std::unique_ptr<Handler> inner_;
  HandlerFault fault_;
  LogWriter* logs_;
  bool initialized_ = false;  // kSecondInitAccepted: an /init succeeded
  bool wedged_ = false;       // kNonObjectWedges: a non-object value was seen
  std::vector<ResponseCallback> withheld_;
};

}  // namespace rr::faults
