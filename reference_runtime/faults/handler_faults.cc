#include "reference_runtime/faults/handler_faults.h"

#include <unistd.h>

#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "contract/contract_text.h"
#include "reference_runtime/json_depth.h"

namespace rr::faults {

using nlohmann::json;

namespace {

std::string PathOf(const std::string& target) { return target.substr(0, target.find('?')); }

// The body as a JSON object, or discarded when it is not one (such bodies
// go to the inner handler untouched).
json ObjectBody(const std::string& body) {
  if (JsonNestingDepth(body, kMaxJsonDepth) > kMaxJsonDepth) return json(json::value_t::discarded);
  json parsed = json::parse(body, nullptr, false);
  return parsed.is_object() ? parsed : json(json::value_t::discarded);
}

std::string Dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

FaultyHandler::FaultyHandler(std::unique_ptr<Handler> inner, HandlerFault fault, LogWriter* logs)
    : inner_(std::move(inner)), fault_(fault), logs_(logs) {}

void FaultyHandler::Handle(Request request, ResponseCallback done) {
  const std::string path = PathOf(request.target);
  if (fault_ == HandlerFault::kErrorsAs503) {
    inner_->Handle(std::move(request), [done = std::move(done)](Response response) {
      if (response.status >= 400) response.status = 503;
      done(std::move(response));
    });
    return;
  }
  if (request.method == "POST" && path == "/init") {
    HandleInit(request, std::move(done));
  } else if (request.method == "POST" && path == "/run") {
    HandleRun(request, std::move(done));
  } else {
    inner_->Handle(std::move(request), std::move(done));
  }
}

void FaultyHandler::HandleInit(const Request& request, ResponseCallback done) {
  switch (fault_) {
    case HandlerFault::kSentinelAfterInit:
      inner_->Handle(request, [this, done = std::move(done)](Response response) mutable {
        if (response.status != 200 || logs_ == nullptr) {
          done(std::move(response));
          return;
        }
        std::shared_ptr<ActivationLog> log = logs_->Begin();
        log->Finish(
            true, [log, response, done = std::move(done)]() mutable { done(std::move(response)); });
      });
      return;
    case HandlerFault::kSecondInitAccepted:
      if (initialized_) {
        Response response;
        response.body = R"({"ok":true})";
        done(std::move(response));
        return;
      }
      inner_->Handle(request, [this, done = std::move(done)](Response response) {
        if (response.status == 200) initialized_ = true;
        done(std::move(response));
      });
      return;
    case HandlerFault::kSecondInitOtherText:
      inner_->Handle(request, [done = std::move(done)](Response response) {
        const json body = json::parse(response.body, nullptr, false);
        if (body.is_object() && body.value("error", "") == contract::kInitTwice) {
          response.body = Dump(json{{"error", kOtherInitTwiceText}});
        }
        done(std::move(response));
      });
      return;
    case HandlerFault::kInitEnvIgnored: {
      json body = ObjectBody(request.body);
      if (!body.is_discarded() && body.contains("value") && body["value"].is_object()) {
        body["value"].erase("env");
        Request changed = request;
        changed.body = Dump(body);
        inner_->Handle(changed, std::move(done));
        return;
      }
      break;
    }
    default:
      break;
  }
  inner_->Handle(request, std::move(done));
}

void FaultyHandler::HandleRun(const Request& request, ResponseCallback done) {
  switch (fault_) {
    case HandlerFault::kContextNotExported: {
      const json body = ObjectBody(request.body);
      if (body.is_discarded()) break;
      json only_value = json::object();
      if (body.contains("value")) only_value["value"] = body["value"];
      Request changed = request;
      changed.body = Dump(only_value);
      inner_->Handle(changed, std::move(done));
      return;
    }
    case HandlerFault::kNonObjectValue: {
      json body = ObjectBody(request.body);
      if (body.is_discarded() || !body.contains("value") || body["value"].is_object() ||
          body["value"].is_array()) {
        break;
      }
      body["value"] = json::object();
      Request changed = request;
      changed.body = Dump(body);
      inner_->Handle(changed, std::move(done));
      return;
    }
    case HandlerFault::kMalformedRunAsEmpty:
      // As the Docker skeleton does (get_json(silent=True) or {}).
      if (json::parse(request.body, nullptr, false).is_discarded()) {
        Request changed = request;
        changed.body = "{}";
        inner_->Handle(changed, std::move(done));
        return;
      }
      break;
    case HandlerFault::kNonObjectWedges: {
      // As the Node.js runtime does: its status stays "running" after the refusal.
      if (wedged_) {
        Response refused;
        refused.status = 403;
        refused.body = R"({"error":"System not ready, status is running."})";
        done(std::move(refused));
        return;
      }
      const json body = ObjectBody(request.body);
      if (!body.is_discarded() && body.contains("value") && !body["value"].is_object() &&
          !body["value"].is_array()) {
        wedged_ = true;
      }
      break;
    }
    case HandlerFault::kNeverAnswers:
      inner_->Handle(request, [this, done = std::move(done)](Response) mutable {
        withheld_.push_back(std::move(done));
      });
      return;
    case HandlerFault::kExitDuringRun:
      // The activation ran and its logs are out; the answer never leaves.
      inner_->Handle(request, [](Response) { ::_exit(kExitDuringRunStatus); });
      return;
    default:
      break;
  }
  inner_->Handle(request, std::move(done));
}

}  // namespace rr::faults
