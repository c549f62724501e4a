// Shared fixture of the end-to-end tests: the real binary, HTTP helpers.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "tests/runtime/http_client.h"
#include "tests/runtime/runtime_process.h"

namespace rr_test {

using nlohmann::json;

inline const std::string kSentinel = "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX\n";

inline std::string InitBody(const std::string& code) {
  return json{{"value", {{"name", "t"}, {"main", "main"}, {"binary", false}, {"code", code}}}}
      .dump();
}

class E2eTest : public ::testing::Test {
 protected:
  void Start(std::vector<std::string> args = {}) {
    runtime_ = std::make_unique<RuntimeProcess>(std::move(args));
    ASSERT_TRUE(runtime_->started()) << runtime_->Stderr();
  }
  void Init(const std::string& code) {
    HttpResult result = Post(runtime_->port(), "/init", InitBody(code));
    ASSERT_EQ(result.status, 200) << result.error << result.body;
  }
  HttpResult Run(const json& body) { return Post(runtime_->port(), "/run", body.dump()); }
  // Polls for a file the action writes (the action runs concurrently).
  std::string WaitForFile(const std::string& name) {
    const std::string path = runtime_->action_dir() + "/" + name;
    for (int i = 0; i < 2000; ++i) {
      std::string content = ReadFile(path);
      if (!content.empty() && content.back() == '\n') return content;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return "";
  }
  bool WaitGone(pid_t pid) {
    for (int i = 0; i < 2000; ++i) {
      if (ProcessGone(pid)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  std::unique_ptr<RuntimeProcess> runtime_;
};

}  // namespace rr_test
