// /run rules (C3) through RequestHandler with a fake executor.
#include <nlohmann/json.hpp>

#include "tests/runtime/handler_test_base.h"

namespace rr_test {
namespace {

using nlohmann::json;

constexpr char kNotDictArgument[] =
    R"({"error":"The action did not receive a dictionary or array as an argument."})";
constexpr char kNotDictResult[] = R"({"error":"The action did not return a dictionary or array."})";

TEST_F(HandlerTest, ValueMustBeObjectOrArray) {
  for (const std::string& body :
       {std::string(R"({"value":"s"})"), std::string(R"({"value":5})"),
        std::string(R"({"value":null})"), std::string(R"({"value":true})")}) {
    std::optional<rr::Response> response = Send("POST", "/run", body);
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 404) << body;
    EXPECT_EQ(response->body, kNotDictArgument);
  }
  EXPECT_TRUE(executor_.specs.empty());
  // Even a refused run ends with sentinels (C3.7).
  EXPECT_EQ(Events(0).back(), "end+sentinels");
}

TEST_F(HandlerTest, MissingValueIsAnEmptyObject) {
  EXPECT_EQ(Run(json::object(), "{}\n").status, 200);
  EXPECT_EQ(executor_.specs.at(0).stdin_bytes, "{}");
  EXPECT_EQ(executor_.specs.at(0).argv, (std::vector<std::string>{store_->executable(), "{}"}));
  EXPECT_EQ(executor_.specs.at(0).cwd, store_->directory());
}

TEST_F(HandlerTest, ArrayValueIsAccepted) {
  EXPECT_EQ(Run({{"value", {1, 2}}}, "[1,2]").body, "[1,2]");
  EXPECT_EQ(executor_.specs.at(0).stdin_bytes, "[1,2]");
}

TEST_F(HandlerTest, ResultIsTheLastLineReserialised) {
  rr::Response response = Run({{"value", {{"a", 1}}}}, "log line\n{ \"a\" : [1, 2] }\n");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"a":[1,2]})");
  EXPECT_EQ(Events(0), (std::vector<std::string>{"out:log line", "end+sentinels"}));
}

TEST_F(HandlerTest, ErrorObjectIsStill200) {
  rr::Response response = Run(json::object(), R"({"error":"app"})");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"error":"app"})");
}

TEST_F(HandlerTest, NonDictionaryResultsAre502AndTheLineIsLogged) {
  struct Case {
    std::string output;
    std::vector<std::string> events;
  };
  const std::vector<Case> cases = {
      {"not json\n", {"out:not json", "end+sentinels"}},
      {"42\n", {"out:42", "end+sentinels"}},
      {"null", {"out:null", "end+sentinels"}},
      {"\"str\"\n", {"out:\"str\"", "end+sentinels"}},
      {"", {"end+sentinels"}},
      {"{}\n\n", {"out:{}", "out:", "end+sentinels"}},
      {"{\n  \"a\": 1\n}\n", {"out:{", "out:  \"a\": 1", "out:}", "end+sentinels"}},
      {"{\"a\":1", {"out:{\"a\":1", "end+sentinels"}},
  };
  int id = 0;
  for (const auto& c : cases) {
    rr::Response response = Run(json::object(), c.output);
    EXPECT_EQ(response.status, 502) << c.output;
    EXPECT_EQ(response.body, kNotDictResult);
    EXPECT_EQ(Events(id++), c.events) << c.output;
  }
}

TEST_F(HandlerTest, ContextBecomesOwVariablesForThisRunOnly) {
  StartRun({{"value", json::object()},
            {"namespace", "ns"},
            {"action_name", "/ns/pkg/a"},
            {"activation_id", "0123456789abcdef0123456789abcdef"},
            {"api_key", "secret"},
            {"deadline", "4102444800000"},
            {"extra_number", 7},
            {"extra_object", {{"k", true}}}});
  CompleteRun("{}");
  const auto first = executor_.specs.at(0).env;
  EXPECT_EQ(EnvValue(first, "__OW_NAMESPACE"), "ns");
  EXPECT_EQ(EnvValue(first, "__OW_ACTION_NAME"), "/ns/pkg/a");
  EXPECT_EQ(EnvValue(first, "__OW_ACTIVATION_ID"), "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(EnvValue(first, "__OW_API_KEY"), "secret");
  EXPECT_EQ(EnvValue(first, "__OW_DEADLINE"), "4102444800000");
  EXPECT_EQ(EnvValue(first, "__OW_EXTRA_NUMBER"), "7");
  EXPECT_EQ(EnvValue(first, "__OW_EXTRA_OBJECT"), R"({"k":true})");
  EXPECT_FALSE(EnvValue(first, "__OW_VALUE").has_value());
  EXPECT_EQ(EnvValue(first, "PATH"), "/usr/bin:/bin");
  EXPECT_EQ(EnvValue(first, "PWD"), store_->directory());

  Run({{"value", json::object()}, {"namespace", "other"}}, "{}");
  const auto second = executor_.specs.at(1).env;
  EXPECT_EQ(EnvValue(second, "__OW_NAMESPACE"), "other");
  EXPECT_FALSE(EnvValue(second, "__OW_API_KEY").has_value()) << "context leaked into the next run";
  EXPECT_FALSE(EnvValue(second, "__OW_EXTRA_NUMBER").has_value());
  EXPECT_EQ(EnvValue(second, "__OW_API_HOST"), "https://host");
}

TEST_F(HandlerTest, DeadlineIsParsedFromEpochMillis) {
  StartRun({{"value", json::object()}, {"deadline", "4102444800000"}});
  ASSERT_TRUE(executor_.specs.at(0).deadline.has_value());
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(
                executor_.specs.at(0).deadline->time_since_epoch())
                .count(),
            4102444800000LL);
  CompleteRun("{}");
  StartRun({{"value", json::object()}, {"deadline", "soon"}});
  EXPECT_FALSE(executor_.specs.at(1).deadline.has_value());
  CompleteRun("{}");
  // Already past on arrival: clock skew, left to the platform's own limit.
  StartRun({{"value", json::object()}, {"deadline", "1000"}});
  EXPECT_FALSE(executor_.specs.at(2).deadline.has_value());
  CompleteRun("{}");
}

// A JSON string value whose compact text is exactly `size` bytes.
json ValueOfSize(size_t size) {
  const size_t overhead = std::string(R"({"k":""})").size();
  return {{"k", std::string(size - overhead, 'x')}};
}

TEST_F(HandlerTest, ArgvCarriesTheValueUpTo131071Bytes) {
  StartRun({{"value", ValueOfSize(131071)}});
  StartRun({{"value", ValueOfSize(131072)}});
  const auto& fits = executor_.specs.at(0);
  const auto& too_big = executor_.specs.at(1);
  ASSERT_EQ(fits.stdin_bytes.size(), 131071u);
  ASSERT_EQ(too_big.stdin_bytes.size(), 131072u);
  EXPECT_EQ(fits.argv.size(), 2u);
  EXPECT_EQ(fits.argv[1], fits.stdin_bytes);
  EXPECT_EQ(too_big.argv.size(), 1u);  // stdin only
  CompleteRun("{}");
  CompleteRun("{}");
}

TEST_F(HandlerTest, OverlapPastTheLimitIsRefusedWithoutA503) {
  Build(1);
  StartRun({{"value", json::object()}});
  std::optional<rr::Response> refused = Send("POST", "/run", R"({"value":{}})");
  ASSERT_TRUE(refused.has_value());
  EXPECT_NE(refused->status, 200);
  EXPECT_NE(refused->status, 503);
  EXPECT_TRUE(json::parse(refused->body).contains("error"));
  EXPECT_EQ(executor_.specs.size(), 1u);
  EXPECT_EQ(CompleteRun("{}").status, 200);
  EXPECT_EQ(Run({{"value", json::object()}}, "{}").status, 200);  // free again
}

TEST_F(HandlerTest, KilledActivationsAnswer502) {
  StartRun({{"value", json::object()}});
  rr::Response response = CompleteRun("partial\n{\"late\":1}", rr::ExecOutcome::End::kDeadline);
  EXPECT_EQ(response.status, 502);
  EXPECT_NE(json::parse(response.body).at("error").get<std::string>().find("deadline"),
            std::string::npos);
  // The held-back line is a log line, not a result.
  auto events = Events(0);
  EXPECT_EQ(events[0], "out:partial");
  EXPECT_EQ(events[1], "out:{\"late\":1}");
  EXPECT_EQ(events.back(), "end+sentinels");
}

TEST_F(HandlerTest, MalformedRunBodyIs400WithSentinels) {
  std::optional<rr::Response> response = Send("POST", "/run", "{\"value\":");
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 400);
  EXPECT_TRUE(json::parse(response->body).contains("error"));
  EXPECT_EQ(Events(0).back(), "end+sentinels");
}

}  // namespace
}  // namespace rr_test
