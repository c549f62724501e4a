// Preparing scenarios: request bodies as the platform builds them,
// placeholders, generated values, waits, identities and skips.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>

#include "conformance/platform/base64.h"
#include "conformance/platform/zip_builder.h"
#include "conformance/scenario/expectations.h"
#include "conformance/scenario/placeholders.h"
#include "conformance/scenario/prepare_scenario.h"
#include "conformance/scenario/scenario_spec.h"

namespace conformance {
namespace {

using nlohmann::json;

class PrepareTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ow::Status status = load_profile(SKELETON_PROFILE_DIR, &profile_);
    ASSERT_TRUE(status.ok()) << status.message();
  }
  PreparedScenario prepare(const json& steps, json extra = json::object()) {
    json doc = {{"id", "t.case"},     {"title", "T"},      {"section", "C3.1"},
                {"requirement", "R"}, {"level", "should"}, {"steps", steps}};
    doc.update(extra);
    ScenarioSpec spec;
    ow::Status status = parse_scenario(doc, "t.json", &spec);
    EXPECT_TRUE(status.ok()) << status.message();
    PreparedScenario prepared;
    status = prepare_scenario(spec, profile_, &prepared);
    EXPECT_TRUE(status.ok()) << status.message();
    return prepared;
  }
  Profile profile_;
};

TEST_F(PrepareTest, TextInitBodyLikeThePlatform) {
  PreparedScenario p =
      prepare(json::array({{{"init", {{"action", "echo"}}}, {"expect", {{"status", 200}}}}}));
  ASSERT_EQ(p.steps.size(), 1u);
  const PreparedStep& step = p.steps[0];
  EXPECT_EQ(step.path, "/init");
  const json body = json::parse(step.bodies[0]);
  RoleCode code;
  ASSERT_TRUE(build_role_code(profile_, "echo", &code).ok());
  EXPECT_EQ(body, (json{{"value",
                         {{"name", "echo"},
                          {"main", "main"},
                          {"binary", false},
                          {"code", code.bytes},
                          {"env", json::object()}}}}));
  EXPECT_EQ(step.init_identity, "echo|main=main|env={}");
  EXPECT_TRUE(step.await_quiet);
  EXPECT_EQ(step.await_sentinels, 0u);
  EXPECT_EQ(p.level, Level::kShould);
}

TEST_F(PrepareTest, ArchiveInitIsBase64ZipWithModes) {
  PreparedScenario p = prepare(json::array({{{"init", {{"action", "archive_reader"}}}}}));
  const json body = json::parse(p.steps[0].bodies[0]);
  EXPECT_TRUE(body["value"]["binary"].get<bool>());
  RoleCode code;
  ASSERT_TRUE(build_role_code(profile_, "archive_reader", &code).ok());
  EXPECT_EQ(body["value"]["code"], base64_encode(code.bytes));
  std::vector<ZipEntry> entries;
  ASSERT_TRUE(read_zip(code.bytes, &entries).ok());
  bool exec_found = false;
  for (const ZipEntry& e : entries) {
    if (e.name == "exec") exec_found = (e.mode & 0111) != 0;
  }
  EXPECT_TRUE(exec_found);
  EXPECT_TRUE(p.steps[0].init_identity.empty());  // no status 200 expected: not a shared init
}

TEST_F(PrepareTest, InitOverridesAndDamage) {
  PreparedScenario p = prepare(json::array({
      {{"init", {{"action", "echo"}, {"main", "other"}, {"env", {{"A", "1"}}}, {"code", nullptr}}}},
      {{"init", {{"action", "archive_reader"}, {"archive_damage", "truncated"}}}},
      {{"init", {{"action", "archive_reader"}, {"archive_damage", "corrupt"}}}},
      {{"init", {{"raw_body", "{not json"}}}},
      {{"init", {{"body", json::object()}}}},
  }));
  const json first = json::parse(p.steps[0].bodies[0]);
  EXPECT_FALSE(first["value"].contains("code"));
  EXPECT_EQ(first["value"]["main"], "other");
  EXPECT_EQ(first["value"]["env"], (json{{"A", "1"}}));
  RoleCode zip;
  ASSERT_TRUE(build_role_code(profile_, "archive_reader", &zip).ok());
  for (int i : {1, 2}) {
    const json damaged = json::parse(p.steps[i].bodies[0]);
    EXPECT_NE(damaged["value"]["code"], base64_encode(zip.bytes));
  }
  EXPECT_EQ(p.steps[3].bodies[0], "{not json");
  EXPECT_EQ(p.steps[4].bodies[0], "{}");
  EXPECT_EQ(p.steps[1].name, "init#2");
}

TEST_F(PrepareTest, RunContextGeneratedRealistically) {
  PreparedScenario p =
      prepare(json::array({{{"init", {{"action", "echo"}}}}, {{"run", {{"value", {{"a", 1}}}}}}}));
  const PreparedStep& run = p.steps[1];
  EXPECT_EQ(run.path, "/run");
  EXPECT_EQ(run.await_sentinels, 1u);
  const json body = json::parse(run.bodies[0]);
  EXPECT_EQ(body["value"], (json{{"a", 1}}));
  for (const char* key : {"namespace", "action_name", "action_version", "activation_id",
                          "transaction_id", "deadline", "api_key"}) {
    ASSERT_TRUE(body.contains(key)) << key;
    EXPECT_TRUE(body[key].is_string()) << key;
  }
  EXPECT_TRUE(
      std::regex_match(body["activation_id"].get<std::string>(), std::regex("[0-9a-f]{32}")));
  EXPECT_TRUE(std::regex_match(body["deadline"].get<std::string>(), std::regex("[0-9]{13}")));
  const long long now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  // In the future by at least the step's timeout when the step is sent.
  EXPECT_GE(std::stoll(body["deadline"].get<std::string>()), now_ms + run.timeout.count());
  EXPECT_EQ(body["action_name"], "/guest/conformance/echo");
}

TEST_F(PrepareTest, ContextOverridesOmitAndSentPlaceholders) {
  PreparedScenario p = prepare(
      json::array({{{"init", {{"action", "env"}}}},
                   {{"run", {{"omit", {"api_key", "value"}}, {"context", {{"namespace", "ns2"}}}}},
                    {"expect",
                     {{"body",
                       {{"pointers",
                         {{"/__OW_NAMESPACE", {{"$sent", "namespace"}}},
                          {"/__OW_ACTIVATION_ID", {{"$sent", "activation_id"}}}}}}}}}}}));
  const json body = json::parse(p.steps[1].bodies[0]);
  EXPECT_FALSE(body.contains("api_key"));
  EXPECT_FALSE(body.contains("value"));
  EXPECT_EQ(body["namespace"], "ns2");
  const auto& pointers = p.steps[1].expect->responses[0].body.pointers;
  ASSERT_EQ(pointers.size(), 2u);
  for (const auto& [pointer, check] : pointers) {
    const json expected = pointer == "/__OW_NAMESPACE" ? json("ns2") : body["activation_id"];
    EXPECT_EQ(check.value, expected) << pointer;
  }
}

TEST_F(PrepareTest, GeneratedSizesAreExact) {
  PreparedScenario p = prepare(json::array(
      {{{"init", {{"action", "echo"}}}},
       {{"run", {{"value", {{"$gen", "object_of_size"}, {"bytes", 131071}}}}}},
       {{"run", {{"value", {{"s", {{"$gen", "string"}, {"bytes", 10}, {"fill", "x"}}}}}}}}}));
  EXPECT_EQ(json::parse(p.steps[1].bodies[0])["value"].dump().size(), 131071u);
  EXPECT_EQ(json::parse(p.steps[2].bodies[0])["value"]["s"], "xxxxxxxxxx");
}

TEST_F(PrepareTest, ConcurrentBodiesAndPerRequestExpectations) {
  PreparedScenario p = prepare(
      json::array({{{"init", {{"action", "slow"}}}},
                   {{"concurrent", {{"count", 3}, {"value", {{"i", {{"$gen", "index"}}}}}}},
                    {"expect",
                     {{"body", {{"equals", {{"$sent", "value"}}}}},
                      {"concurrency", {{"overlap", "capability"}, {"log_marker", "^x {i}$"}}}}}}}));
  const PreparedStep& step = p.steps[1];
  EXPECT_EQ(step.kind, StepKind::kConcurrentRuns);
  ASSERT_EQ(step.bodies.size(), 3u);
  EXPECT_EQ(step.await_sentinels, 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(json::parse(step.bodies[i])["value"], (json{{"i", i}}));
    EXPECT_EQ(*step.expect->responses[i].body.equals, (json{{"i", i}}));
  }
  EXPECT_EQ(step.expect->concurrency.overlap, Overlap::kEither);  // the skeleton declares "either"
  EXPECT_TRUE(p.needs_logs);
  Profile parallel = profile_;
  ASSERT_TRUE(set_capability("concurrency=parallel", &parallel).ok());
  ScenarioSpec spec;
  ASSERT_TRUE(
      parse_scenario(
          json{{"id", "t.c"},
               {"title", "T"},
               {"section", "C3.9"},
               {"requirement", "R"},
               {"level", "must"},
               {"steps",
                json::array({{{"init", {{"action", "slow"}}}},
                             {{"concurrent", {{"count", 2}}},
                              {"expect", {{"concurrency", {{"overlap", "capability"}}}}}}})}},
          "t.json", &spec)
          .ok());
  PreparedScenario q;
  ASSERT_TRUE(prepare_scenario(spec, parallel, &q).ok());
  EXPECT_EQ(q.steps[1].expect->concurrency.overlap, Overlap::kParallel);
}

TEST_F(PrepareTest, FilePlaceholdersComputeFromTheSources) {
  PreparedScenario p = prepare(json::array(
      {{{"init", {{"action", "binary"}}}},
       {{"run", json::object()},
        {"expect",
         {{"body",
           {{"equals",
             {{"size", {{"$file", "data.bin"}, {"role", "binary"}, {"get", "size"}}},
              {"hash", {{"$file", "data.bin"}, {"role", "binary"}, {"get", "fnv1a64"}}}}}}}}}}}));
  std::string bytes;
  ASSERT_TRUE(read_role_file(profile_, "binary", "data.bin", &bytes).ok());
  const json& equals = *p.steps[1].expect->responses[0].body.equals;
  EXPECT_EQ(equals["size"], bytes.size());
  EXPECT_EQ(equals["hash"], fnv1a64_hex(bytes));
}

TEST_F(PrepareTest, LogWaitsFollowSentinelExpectations) {
  PreparedScenario p = prepare(
      json::array({{{"init", {{"action", "no_exec"}}},
                    {"expect", {{"logs", {{"stdout", {{"sentinels", 1}}}}}}}},
                   {{"init", {{"action", "echo"}}},
                    {"expect", {{"status", 200}, {"logs", {{"stderr", {{"sentinels", 0}}}}}}}}}));
  EXPECT_EQ(p.steps[0].await_sentinels, 1u);
  EXPECT_FALSE(p.steps[0].await_quiet);
  EXPECT_TRUE(p.steps[1].await_quiet);
  EXPECT_TRUE(p.needs_logs);
}

TEST_F(PrepareTest, MissingCapabilitySkipsAndMissingRoleFails) {
  PreparedScenario skipped = prepare(json::array({{{"init", {{"action", "no_such_role"}}}}}),
                                     json{{"needs", {"concurrency=parallel"}}});
  EXPECT_NE(skipped.skip_reason.find("concurrency"), std::string::npos) << skipped.skip_reason;
  ScenarioSpec spec;
  ASSERT_TRUE(
      parse_scenario(json{{"id", "t.r"},
                          {"title", "T"},
                          {"section", "C3.1"},
                          {"requirement", "R"},
                          {"level", "must"},
                          {"steps", json::array({{{"init", {{"action", "no_such_role"}}}}})}},
                     "t.json", &spec)
          .ok());
  PreparedScenario prepared;
  ow::Status status = prepare_scenario(spec, profile_, &prepared);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("no_such_role"), std::string::npos);
}

TEST(Placeholders, SyntaxErrorsAndLiterals) {
  PlaceholderContext ctx;
  json out;
  ASSERT_TRUE(resolve_placeholders(json{{"$literal", {{"$sent", "x"}}}}, ctx, &out).ok());
  EXPECT_EQ(out, (json{{"$sent", "x"}}));
  EXPECT_FALSE(resolve_placeholders(json{{"$sent", "value"}}, ctx, &out).ok());  // nothing sent
  EXPECT_FALSE(
      resolve_placeholders(json{{"$gen", "string"}, {"bytes", 3}, {"extra", 1}}, ctx, &out).ok());
  EXPECT_FALSE(
      resolve_placeholders(json{{"$file", "x"}, {"role", "r"}, {"get", "md5"}}, ctx, &out).ok());
  EXPECT_EQ(fnv1a64_hex(""), "cbf29ce484222325");
  EXPECT_EQ(fnv1a64_hex("a"), "af63dc4c8601ec8c");
}

}  // namespace
}  // namespace conformance
