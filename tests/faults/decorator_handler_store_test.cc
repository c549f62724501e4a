// Unit tests of the handler and action-store fault decorators, and of the
// fault catalogue (names, did-you-mean, argv extraction, composition).
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "conformance/platform/zip_builder.h"
#include "contract/contract_text.h"
#include "reference_runtime/faults/fault_catalogue.h"
#include "reference_runtime/faults/handler_faults.h"
#include "reference_runtime/faults/store_faults.h"
#include "tests/faults/fault_fakes.h"
#include "tests/support/temp_dir.h"

namespace faults_test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using rr::faults::HandlerFault;

struct HandlerHarness {
  explicit HandlerHarness(HandlerFault fault) {
    auto inner = std::make_unique<CannedHandler>();
    canned = inner.get();
    handler = std::make_unique<rr::faults::FaultyHandler>(std::move(inner), fault, &logs);
  }
  // Sends a request; returns how many answers came back so far.
  void Send(const std::string& target, const std::string& body) {
    handler->Handle(Post(target, body),
                    [this](rr::Response response) { answers.push_back(std::move(response)); });
  }
  CannedHandler* canned;
  RecordingLogWriter logs;
  std::unique_ptr<rr::faults::FaultyHandler> handler;
  std::vector<rr::Response> answers;
};

TEST(HandlerFaultTest, InitEnvIsRemovedBeforeTheInnerHandler) {
  HandlerHarness h(HandlerFault::kInitEnvIgnored);
  h.Send("/init", R"({"value":{"code":"x","env":{"A":"1"}}})");
  ASSERT_EQ(h.canned->requests.size(), 1u);
  EXPECT_EQ(json::parse(h.canned->requests[0].body), json::parse(R"({"value":{"code":"x"}})"));
  // Malformed bodies pass through untouched (the inner handler refuses them).
  h.Send("/init", "{not json");
  EXPECT_EQ(h.canned->requests[1].body, "{not json");
}

TEST(HandlerFaultTest, ContextKeysAreDropped) {
  HandlerHarness h(HandlerFault::kContextNotExported);
  h.Send("/run", R"({"value":{"a":1},"namespace":"ns","api_key":"k"})");
  EXPECT_EQ(json::parse(h.canned->requests[0].body), json::parse(R"({"value":{"a":1}})"));
}

TEST(HandlerFaultTest, ScalarValueIsReplacedByAnObject) {
  HandlerHarness h(HandlerFault::kNonObjectValue);
  h.Send("/run", R"({"value":"text","namespace":"ns"})");
  h.Send("/run", R"({"value":[1]})");
  EXPECT_EQ(json::parse(h.canned->requests[0].body)["value"], json::object());
  EXPECT_EQ(json::parse(h.canned->requests[0].body)["namespace"], "ns");
  EXPECT_EQ(json::parse(h.canned->requests[1].body)["value"], json::parse("[1]"));
}

TEST(HandlerFaultTest, ErrorsBecome503) {
  HandlerHarness h(HandlerFault::kErrorsAs503);
  h.canned->answer = rr::JsonError(502, "bad output");
  h.Send("/run", "{}");
  h.canned->answer = rr::Response();
  h.Send("/run", "{}");
  ASSERT_EQ(h.answers.size(), 2u);
  EXPECT_EQ(h.answers[0].status, 503);
  EXPECT_EQ(h.answers[1].status, 200);
}

TEST(HandlerFaultTest, SecondInitAcceptedWithoutReachingTheInnerHandler) {
  HandlerHarness h(HandlerFault::kSecondInitAccepted);
  h.Send("/init", "{}");
  h.Send("/init", "{}");
  ASSERT_EQ(h.answers.size(), 2u);
  EXPECT_EQ(h.answers[1].status, 200);
  EXPECT_EQ(h.canned->requests.size(), 1u);
}

TEST(HandlerFaultTest, SecondInitRefusalGetsAnotherText) {
  HandlerHarness h(HandlerFault::kSecondInitOtherText);
  h.canned->answer = rr::JsonError(403, std::string(contract::kInitTwice));
  h.Send("/init", "{}");
  ASSERT_EQ(h.answers.size(), 1u);
  EXPECT_EQ(h.answers[0].status, 403);
  EXPECT_EQ(json::parse(h.answers[0].body)["error"], rr::faults::kOtherInitTwiceText);
}

TEST(HandlerFaultTest, SuccessfulInitWritesSentinelsFailedInitDoesNotGetMore) {
  HandlerHarness h(HandlerFault::kSentinelAfterInit);
  h.Send("/init", "{}");
  EXPECT_EQ(h.logs.events, (std::vector<std::string>{"end+sentinels"}));
  h.canned->answer = rr::JsonError(502, "failed");
  h.Send("/init", "{}");
  EXPECT_EQ(h.logs.events.size(), 1u);
  EXPECT_EQ(h.answers.size(), 2u);
}

TEST(HandlerFaultTest, NeverAnswersWithholdsRunsOnly) {
  HandlerHarness h(HandlerFault::kNeverAnswers);
  h.Send("/init", "{}");
  h.Send("/run", "{}");
  EXPECT_EQ(h.canned->requests.size(), 2u);  // the run did happen
  EXPECT_EQ(h.answers.size(), 1u);           // only the init was answered
}

using testing_support::TempDir;

std::string ActionZip() {
  std::string zip;
  const ow::Status status = conformance::build_zip({{"exec", "#!/bin/sh\necho '{}'\n", 0755},
                                                    {"data/file.txt", "data\n", 0644},
                                                    {"tool.sh", "#!/bin/sh\n", 0755}},
                                                   &zip);
  EXPECT_TRUE(status.ok()) << status.message();
  return zip;
}

bool Executable(const fs::path& path) { return access(path.c_str(), X_OK) == 0; }

TEST(StoreFaultTest, NoStubRemovesTheStubOnly) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  rr::faults::FaultyActionStore store(
      std::make_unique<rr::DirActionStore>(dir.path() + "/action", 1 << 20),
      rr::faults::StoreFault::kNoStub);
  ASSERT_TRUE(store.Prepare().ok());
  EXPECT_FALSE(fs::exists(store.executable()));
  ASSERT_TRUE(store.InstallText("#!/bin/sh\necho '{}'\n").ok());
  EXPECT_TRUE(Executable(store.executable()));
}

TEST(StoreFaultTest, OnlyExecKeepsNothingBesideIt) {
  TempDir dir;
  rr::faults::FaultyActionStore store(
      std::make_unique<rr::DirActionStore>(dir.path() + "/action", 1 << 20),
      rr::faults::StoreFault::kOnlyExec);
  ASSERT_TRUE(store.Prepare().ok());
  ASSERT_TRUE(store.InstallArchive(ActionZip()).ok());
  EXPECT_TRUE(Executable(store.executable()));
  EXPECT_FALSE(fs::exists(store.directory() + "/data"));
  EXPECT_FALSE(fs::exists(store.directory() + "/tool.sh"));
}

TEST(StoreFaultTest, ExecBitLostEverywhere) {
  TempDir dir;
  rr::faults::FaultyActionStore store(
      std::make_unique<rr::DirActionStore>(dir.path() + "/action", 1 << 20),
      rr::faults::StoreFault::kExecBitLost);
  ASSERT_TRUE(store.Prepare().ok());
  ASSERT_TRUE(store.InstallArchive(ActionZip()).ok());
  EXPECT_TRUE(fs::exists(store.executable()));
  EXPECT_FALSE(Executable(store.executable()));
  EXPECT_FALSE(Executable(store.directory() + "/tool.sh"));
  EXPECT_TRUE(fs::exists(store.directory() + "/data/file.txt"));
}

TEST(FaultCatalogueTest, NamesAreUniqueKebabCaseWithSectionAndDescription) {
  std::set<std::string> names;
  for (const auto& fault : rr::faults::AllFaults()) {
    EXPECT_TRUE(names.insert(fault.name).second) << fault.name;
    EXPECT_EQ(fault.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-"),
              std::string::npos)
        << fault.name;
    EXPECT_EQ(fault.section.rfind("C", 0), 0u) << fault.name;
    EXPECT_FALSE(fault.description.empty()) << fault.name;
    EXPECT_NE(rr::faults::ListFaultsText().find(fault.name + " "), std::string::npos);
  }
  EXPECT_GE(names.size(), 33u);
}

TEST(FaultCatalogueTest, UnknownNameSuggestsTheClosest) {
  rr::Decorators decorators;
  const ow::Status status = rr::faults::AddFaults({"no-stubb"}, &decorators);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("did you mean 'no-stub'?"), std::string::npos)
      << status.message();
  EXPECT_FALSE(decorators.store);
  EXPECT_EQ(rr::faults::ClosestFaultName("zzzzzzzzzzzzzzzz"), "");
}

TEST(FaultCatalogueTest, FaultsComposeOnOneSeam) {
  rr::Decorators decorators;
  ASSERT_TRUE(rr::faults::AddFaults({"stderr-dropped", "double-sentinel"}, &decorators).ok());
  ASSERT_TRUE(decorators.logs);
  EXPECT_FALSE(decorators.handler);
  auto recording = std::make_unique<RecordingLogWriter>();
  RecordingLogWriter* events = recording.get();
  auto writer = decorators.logs(std::move(recording));
  auto log = writer->Begin();
  log->Line(rr::LogStream::kStderr, "dropped");
  log->Finish(true, nullptr);
  const std::string sentinel(contract::kSentinel);
  // double-sentinel is outside: its extra pair passes through stderr-dropped,
  // which drops the stderr one.
  EXPECT_EQ(events->events, (std::vector<std::string>{"out:" + sentinel, "end+sentinels"}));
}

TEST(FaultCatalogueTest, SentinelAfterInitReachesTheLogWriterThroughAssembly) {
  rr::Decorators decorators;
  ASSERT_TRUE(rr::faults::AddFaults({"sentinel-after-init"}, &decorators).ok());
  ASSERT_TRUE(decorators.logs);
  ASSERT_TRUE(decorators.handler);
  auto recording = std::make_unique<RecordingLogWriter>();
  RecordingLogWriter* events = recording.get();
  auto writer = decorators.logs(std::move(recording));  // assembly order: logs first
  auto handler = decorators.handler(std::make_unique<CannedHandler>());
  int answers = 0;
  handler->Handle(Post("/init", "{}"), [&answers](rr::Response) { ++answers; });
  EXPECT_EQ(answers, 1);
  EXPECT_EQ(events->events, (std::vector<std::string>{"end+sentinels"}));
}

TEST(FaultCatalogueTest, ExtractsFaultOptionsAndKeepsTheRest) {
  std::vector<std::string> words = {
      "rt",    "--port", "0", "--fault", "no-stub", "--fault=errors-as-503", "--list-faults",
      "--help"};
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  rr::faults::FaultArgs args;
  std::vector<char*> rest;
  ASSERT_TRUE(
      rr::faults::ExtractFaultArgs(static_cast<int>(argv.size()), argv.data(), &args, &rest).ok());
  EXPECT_EQ(args.names, (std::vector<std::string>{"no-stub", "errors-as-503"}));
  EXPECT_TRUE(args.list);
  EXPECT_TRUE(args.help);
  std::vector<std::string> kept(rest.begin(), rest.end());
  EXPECT_EQ(kept, (std::vector<std::string>{"rt", "--port", "0", "--help"}));

  std::vector<std::string> dangling = {"rt", "--fault"};
  std::vector<char*> argv2 = {dangling[0].data(), dangling[1].data()};
  EXPECT_FALSE(rr::faults::ExtractFaultArgs(2, argv2.data(), &args, &rest).ok());
}

}  // namespace
}  // namespace faults_test
