// Plain request/response values exchanged between the HTTP session and the
// request handler. No sockets here: the handler is unit-tested by building a
// Request by hand and inspecting the Response it produces.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace rr {

// Fired when the client that sent a request goes away before its answer is
// ready (or when the server must abandon the request). Whoever started work
// for the request registers a callback to stop it. Single-threaded: used only
// on the server's event loop. Callbacks added after Cancel() run at once.
class Cancellation {
 public:
  void OnCancel(std::function<void()> callback);
  void Cancel();
  bool cancelled() const { return cancelled_; }

 private:
  bool cancelled_ = false;
  std::vector<std::function<void()>> callbacks_;
};

struct Request {
  std::string method;  // "POST", "GET", ...
  std::string target;  // "/run", "/init", ...
  std::string body;
  // Never null when built by the session; tests may leave it null.
  std::shared_ptr<Cancellation> cancellation;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  // Ask the session to close the connection after writing this response.
  bool close_connection = false;
};

// Builds a JSON error response {"error": message}.
Response JsonError(int status, const std::string& message);

using ResponseCallback = std::function<void(Response)>;

// The seam between transport and contract logic. The normal implementation is
// RequestHandler; decorators (fault injection) may wrap it. `done` is called
// exactly once, possibly before Handle returns, always on the event loop.
class Handler {
 public:
  virtual ~Handler() = default;
  virtual void Handle(Request request, ResponseCallback done) = 0;
};

}  // namespace rr
