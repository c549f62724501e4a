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
  response.body = nlohmann::json{{"error", message}}.dump();
  return response;
}

}  // namespace rr
