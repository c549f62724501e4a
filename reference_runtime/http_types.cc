#include "reference_runtime/http_types.h"

#include <nlohmann/json.hpp>
#include <utility>

namespace rr {

void Cancellation::OnCancel(std::function<void()> callback) {
  if (cancelled_) {
    callback();
    return;
  }
  callbacks_.push_back(std::move(callback));
}

void Cancellation::Cancel() {
  if (cancelled_) return;
  cancelled_ = true;
  // Move out first: a callback may register another one.
  auto callbacks = std::move(callbacks_);
  callbacks_.clear();
  for (auto& callback : callbacks) callback();
}

Response JsonError(int status, const std::string& message) {
  Response response;
  response.status = status;
  // Messages may carry outside bytes (a request path, an action dir): never
  // throw on invalid UTF-8, replace it.
  response.body = nlohmann::json{{"error", message}}.dump(-1, ' ', false,
                                                          nlohmann::json::error_handler_t::replace);
  return response;
}

}  // namespace rr
