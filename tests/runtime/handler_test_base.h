// A RequestHandler wired to fakes and a temp action dir.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "reference_runtime/action_store.h"
#include "reference_runtime/request_handler.h"
#include "reference_runtime/result_interpreter.h"
#include "tests/runtime/handler_fakes.h"
#include "tests/runtime/test_files.h"

namespace rr_test {

class HandlerTest : public ::testing::Test {
 protected:
  void SetUp() override { Build(16); }

  // `held_background`: big bodies wait in background_ until released.
  void Build(size_t max_concurrent, bool held_background = false) {
    store_ = std::make_unique<rr::DirActionStore>(dir_.path() + "/action", 1 << 20);
    ASSERT_TRUE(store_->Prepare().ok());
    handler_ = std::make_unique<rr::RequestHandler>(
        rr::RequestHandler::Parts{store_.get(), &executor_, &logs_, &interpreter_,
                                  held_background ? &background_ : nullptr},
        std::vector<std::string>{"PATH=/usr/bin:/bin", "__OW_API_HOST=https://host", "X=server"},
        max_concurrent);
  }

  // Sends a request; returns the response if `done` ran synchronously.
  std::optional<rr::Response> Send(const std::string& method, const std::string& target,
                                   const std::string& body) {
    // Shared: the callback may run long after this returns.
    auto answer = std::make_shared<std::optional<rr::Response>>();
    rr::Request request{method, target, body, std::make_shared<rr::Cancellation>()};
    handler_->Handle(request, [answer, this](rr::Response response) {
      *answer = response;
      last_async_ = response;
    });
    return *answer;
  }
  rr::Response Post(const std::string& target, const nlohmann::json& body) {
    auto answer = Send("POST", target, body.dump());
    EXPECT_TRUE(answer.has_value());
    return answer.value_or(rr::Response{});
  }
  // Starts a /run that the fake executor holds.
  void StartRun(const nlohmann::json& body) {
    auto answer = Send("POST", "/run", body.dump());
    ASSERT_FALSE(answer.has_value());
  }
  rr::Response CompleteRun(const std::string& output,
                           rr::ExecOutcome::End end = rr::ExecOutcome::End::kExited) {
    last_async_.reset();
    executor_.Complete(output, end);
    EXPECT_TRUE(last_async_.has_value());
    return last_async_.value_or(rr::Response{});
  }
  rr::Response Run(const nlohmann::json& body, const std::string& output) {
    StartRun(body);
    return CompleteRun(output);
  }
  std::string Exec() const { return ReadFile(dir_.path() + "/action/exec"); }
  // The events of activation `id`.
  std::vector<std::string> Events(int id) const {
    std::vector<std::string> out;
    for (const auto& event : logs_.events) {
      if (event.activation == id) out.push_back(event.what);
    }
    return out;
  }
  // Value of NAME in an env list, or nullopt.
  static std::optional<std::string> EnvValue(const std::vector<std::string>& env,
                                             const std::string& name) {
    for (const auto& entry : env) {
      if (entry.rfind(name + "=", 0) == 0) return entry.substr(name.size() + 1);
    }
    return std::nullopt;
  }

  TempDir dir_;
  RecordingLogWriter logs_;
  FakeExecutor executor_;
  HeldBackgroundWork background_;
  rr::LastLineInterpreter interpreter_;
  std::unique_ptr<rr::DirActionStore> store_;
  std::unique_ptr<rr::RequestHandler> handler_;
  std::optional<rr::Response> last_async_;
};

}  // namespace rr_test
