// Loading scenario files: good files and every kind of bad one.
#include "conformance/scenario/scenario_spec.h"

#include <gtest/gtest.h>

#include "tests/suite/temp_dir.h"

namespace conformance {
namespace {

using nlohmann::json;

json minimal() {
  return json::parse(R"({
    "id": "demo.echo", "title": "Echo", "section": "C3.1", "requirement": "It echoes.",
    "level": "must",
    "steps": [{"init": {"action": "echo"}, "expect": {"status": 200}},
              {"run": {"value": {"a": 1}}, "expect": {"status": 200, "body": {"equals": {"$sent": "value"}}}}]
  })");
}

ow::Status parse(const json& doc, ScenarioSpec* spec) {
  return parse_scenario(doc, "test.json", spec);
}

TEST(ScenarioSpec, ParsesAMinimalScenario) {
  ScenarioSpec spec;
  ow::Status status = parse(minimal(), &spec);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(spec.id, "demo.echo");
  EXPECT_EQ(spec.level, Level::kMust);
  EXPECT_TRUE(spec.fresh);
  ASSERT_EQ(spec.steps.size(), 2u);
  EXPECT_EQ(spec.steps[0].kind, StepKind::kInit);
  EXPECT_EQ(spec.steps[0].name, "init");
  EXPECT_EQ(spec.steps[1].name, "run");
  EXPECT_EQ(spec.steps[1].timeout.count(), 10000);
  EXPECT_FALSE(spec.steps[1].timeout_set);
  EXPECT_EQ(roles_used(spec), std::vector<std::string>{"echo"});
}

TEST(ScenarioSpec, NamesRepeatedStepsAndReadsOptions) {
  json doc = minimal();
  doc["steps"].push_back({{"run", json::object()}, {"timeout_ms", 2500}});
  doc["steps"].push_back({{"concurrent", {{"count", 3}, {"value", {{"i", {{"$gen", "index"}}}}}}}});
  doc["level"] = "should";
  doc["needs"] = {"concurrency"};
  doc["needs_not"] = {"stub"};
  doc["fresh"] = false;
  doc["runtime_env"] = {{"__OW_API_HOST", "https://x"}};
  ScenarioSpec spec;
  ow::Status status = parse(doc, &spec);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(spec.level, Level::kShould);
  EXPECT_FALSE(spec.fresh);
  EXPECT_EQ(spec.steps[2].name, "run#2");
  EXPECT_EQ(spec.steps[2].timeout.count(), 2500);
  EXPECT_TRUE(spec.steps[2].timeout_set);
  EXPECT_EQ(spec.steps[3].kind, StepKind::kConcurrentRuns);
  EXPECT_EQ(spec.steps[3].concurrency, 3u);
  EXPECT_EQ(spec.runtime_env.at("__OW_API_HOST"), "https://x");
  EXPECT_EQ(spec.needs_not, std::vector<std::string>{"stub"});
}

struct BadCase {
  const char* what;
  const char* pointer;  // JSON pointer to set
  const char* value;    // JSON text; "DELETE" removes
  const char* message;  // part of the error
};

class BadScenario : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadScenario, IsRejectedWithAClearMessage) {
  const BadCase& c = GetParam();
  json doc = minimal();
  const json::json_pointer p(c.pointer);
  if (std::string(c.value) == "DELETE") {
    doc[p.parent_pointer()].erase(p.back());
  } else {
    doc[p] = json::parse(c.value);
  }
  ScenarioSpec spec;
  ow::Status status = parse(doc, &spec);
  ASSERT_FALSE(status.ok()) << c.what;
  EXPECT_NE(status.message().find("test.json"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find(c.message), std::string::npos) << status.message();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadScenario,
    ::testing::Values(
        BadCase{"unknown key", "/colour", "\"red\"", "unknown key 'colour'"},
        BadCase{"bad level", "/level", "\"may\"", "level 'may'"},
        BadCase{"missing id", "/id", "DELETE", "id is required"},
        BadCase{"bad id", "/id", "\"Has Spaces\"", "dotted lower-case"},
        BadCase{"bad section", "/section", "\"chapter 3\"", "section"},
        BadCase{"no steps", "/steps", "[]", "steps"},
        BadCase{"step kind missing", "/steps/0", "{\"expect\": {}}", "exactly one of"},
        BadCase{"two step kinds", "/steps/0", "{\"init\": {\"action\": \"a\"}, \"run\": {}}",
                "exactly one of"},
        BadCase{"unknown step key", "/steps/0/wait", "1", "unknown key 'wait'"},
        BadCase{"unknown init key", "/steps/0/init/colour", "1", "unknown key 'colour'"},
        BadCase{"init without action", "/steps/0/init", "{}", "action role"},
        BadCase{"bad env", "/steps/0/init/env", "{\"A\": 1}", "must be a string"},
        BadCase{"bad damage", "/steps/0/init/archive_damage", "\"burnt\"", "archive_damage"},
        BadCase{"bad omit", "/steps/1/run/omit", "[\"colour\"]", "not value or a context key"},
        BadCase{"bad timeout", "/steps/1/timeout_ms", "5", "timeout_ms"},
        BadCase{"bad status", "/steps/1/expect/status", "\"ok\"", "status"},
        BadCase{"unknown expect key", "/steps/1/expect/colour", "1", "unknown key 'colour'"},
        BadCase{"unknown body key", "/steps/1/expect/body/like", "1", "unknown key 'like'"},
        BadCase{"bad regex", "/steps/1/expect/body/regex", "\"([\"", "bad regex"},
        BadCase{"bad pointer", "/steps/1/expect/body/pointers", "{\"no-slash\": 1}",
                "bad JSON pointer"},
        BadCase{"bad log key", "/steps/1/expect/logs", "{\"stdout\": {\"has\": []}}",
                "unknown key 'has'"},
        BadCase{"bad generator", "/steps/1/run/value", "{\"$gen\": \"planet\", \"bytes\": 1}",
                "$gen"},
        BadCase{"huge generator", "/steps/1/run/value",
                "{\"$gen\": \"string\", \"bytes\": 99999999999}", "bytes"},
        BadCase{"concurrency on a run", "/steps/1/expect/concurrency", "{}", "only for concurrent"},
        BadCase{"bad concurrent count", "/steps/1", "{\"concurrent\": {\"count\": 1}}", "count"}),
    [](const ::testing::TestParamInfo<BadCase>& param_info) {
      std::string name = param_info.param.what;
      for (char& ch : name) {
        if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
      }
      return name;
    });

TEST(ScenarioSpec, FreshFalseNeedsASuccessfulFirstInit) {
  json doc = minimal();
  doc["fresh"] = false;
  ScenarioSpec spec;
  ASSERT_TRUE(parse(doc, &spec).ok());
  doc["steps"][0]["expect"]["status"] = json{{"not", {200}}};
  EXPECT_FALSE(parse(doc, &spec).ok());
  doc["steps"][0] = json{{"run", json::object()}};
  ow::Status status = parse(doc, &spec);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("fresh: false"), std::string::npos) << status.message();
}

TEST(CatalogueLoading, DuplicateIdsAcrossFilesAreErrors) {
  suite_test::TempDir dir;
  dir.write("a.json", minimal().dump());
  dir.write("b.json", json::array({minimal()}).dump());
  std::vector<ScenarioSpec> scenarios;
  ow::Status status = load_catalogue(dir.path(), &scenarios);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("duplicate scenario id demo.echo"), std::string::npos)
      << status.message();
}

TEST(CatalogueLoading, BadJsonAndMissingDirectoryAreErrors) {
  suite_test::TempDir dir;
  dir.write("broken.json", "{\"id\": ");
  std::vector<ScenarioSpec> scenarios;
  ow::Status status = load_catalogue(dir.path(), &scenarios);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("broken.json"), std::string::npos);
  EXPECT_FALSE(load_catalogue(dir.path() + "/missing", &scenarios).ok());
}

TEST(CatalogueLoading, LoadsObjectsAndListsSortedById) {
  suite_test::TempDir dir;
  json second = minimal();
  second["id"] = "alpha.first";
  dir.write("z.json", minimal().dump());
  dir.write("a.json", json::array({second}).dump());
  dir.write("notes.txt", "ignored");
  std::vector<ScenarioSpec> scenarios;
  ASSERT_TRUE(load_catalogue(dir.path(), &scenarios).ok());
  ASSERT_EQ(scenarios.size(), 2u);
  EXPECT_EQ(scenarios[0].id, "alpha.first");
  EXPECT_EQ(scenarios[1].id, "demo.echo");
}

}  // namespace
}  // namespace conformance
