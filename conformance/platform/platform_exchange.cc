#include "conformance/platform/platform_exchange.h"

#include <algorithm>

namespace conformance {

std::chrono::milliseconds at_least_1ms(std::chrono::milliseconds d) {
  return std::max(d, std::chrono::milliseconds(1));
}

HttpResult send_init_retrying(HttpTransport* transport, Clock* clock, RuntimeInstance* instance,
                              HttpRequest request, std::chrono::milliseconds limit,
                              std::chrono::milliseconds retry_interval) {
  const Clock::time_point deadline = clock->now() + limit;
  for (;;) {
    request.timeout = at_least_1ms(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock->now()));
    HttpResult result = transport->send(instance->base_url(), request);
    const bool refused =
        result.error == TransportError::kRefused ||
        (instance->behind_port_proxy() && result.lost_without_reply() && !instance->exited());
    if (!refused) return result;
    if (clock->now() + retry_interval >= deadline) return result;
    clock->sleep_for(retry_interval);
  }
}

std::chrono::milliseconds sentinel_wait(std::chrono::milliseconds limit,
                                        std::chrono::milliseconds cap) {
  return std::min(at_least_1ms(limit), cap);
}

}  // namespace conformance
