// How the platform carries out one exchange with a runtime, shared by `check`
// (StepExecutor) and `invoke`/`bench` (ActivationRunner) so both follow the
// same rules: /init retried while the connection is refused (C4.1), request
// timeouts never zero, and a bounded wait for the logs' sentinels (C3.7).
#pragma once

#include <chrono>
#include <string>

#include "conformance/platform/clock.h"
#include "conformance/platform/http_transport.h"
#include "conformance/platform/runtime_target.h"

namespace conformance {

// A timeout the transport can use: at least 1 ms (zero would mean "none").
std::chrono::milliseconds at_least_1ms(std::chrono::milliseconds d);

// C4.1: sends `request` (a POST /init) to `instance`, and sends it again every
// `retry_interval` while the connection is refused, until `limit` has passed
// since the first try; each try may use what is left of the limit. Behind a
// port proxy (docker's published port) a refusal shows as a connection lost
// with no reply while the runtime still runs: that is retried too. Any other
// outcome, a response or another transport error, is returned at once.
HttpResult send_init_retrying(HttpTransport* transport, Clock* clock, RuntimeInstance* instance,
                              HttpRequest request, std::chrono::milliseconds limit,
                              std::chrono::milliseconds retry_interval);

// The longest wait for sentinels after an exchange whose time limit is
// `limit`: the limit itself (at least 1 ms), capped at `cap`.
std::chrono::milliseconds sentinel_wait(std::chrono::milliseconds limit,
                                        std::chrono::milliseconds cap);

}  // namespace conformance
