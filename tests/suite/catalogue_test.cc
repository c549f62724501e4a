// The shipped catalogue loads, every role it uses exists in the skeleton
// profile, and every scenario prepares against it.
#include <gtest/gtest.h>

#include <set>

#include "conformance/scenario/expectations.h"
#include "conformance/scenario/prepare_scenario.h"
#include "conformance/scenario/profile.h"
#include "conformance/scenario/scenario.h"
#include "conformance/scenario/scenario_spec.h"

namespace conformance {
namespace {

class Catalogue : public ::testing::Test {
 protected:
  void SetUp() override {
    ow::Status status = load_catalogue(SCENARIO_DIR, &scenarios_);
    ASSERT_TRUE(status.ok()) << status.message();
    status = load_profile(SKELETON_PROFILE_DIR, &profile_);
    ASSERT_TRUE(status.ok()) << status.message();
  }
  std::vector<ScenarioSpec> scenarios_;
  Profile profile_;
};

TEST_F(Catalogue, LoadsSortedWithUniqueIds) {
  ASSERT_GE(scenarios_.size(), 30u);
  std::set<std::string> ids;
  for (std::size_t i = 0; i < scenarios_.size(); ++i) {
    EXPECT_TRUE(ids.insert(scenarios_[i].id).second) << scenarios_[i].id;
    if (i > 0) {
      EXPECT_LT(scenarios_[i - 1].id, scenarios_[i].id);
    }
  }
}

TEST_F(Catalogue, CoversTheRequiredSections) {
  std::set<std::string> cited;
  for (const ScenarioSpec& s : scenarios_) {
    std::size_t start = 0;
    while (start < s.section.size()) {
      std::size_t end = s.section.find(", ", start);
      if (end == std::string::npos) end = s.section.size();
      cited.insert(s.section.substr(start, end - start));
      start = end + 2;
    }
  }
  for (const char* section :
       {"C1.2", "C1.3", "C1.5", "C2.1", "C2.2", "C2.3", "C2.4", "C2.5", "C2.6", "C2.7", "C2.8",
        "C2.9", "C3.1", "C3.2", "C3.3", "C3.4", "C3.5", "C3.6", "C3.7", "C3.8", "C3.9", "C3.10"}) {
    EXPECT_TRUE(cited.count(section)) << "no scenario cites " << section;
  }
}

TEST_F(Catalogue, EveryRoleExistsInTheSkeletonProfile) {
  for (const ScenarioSpec& s : scenarios_) {
    for (const std::string& role : roles_used(s)) {
      EXPECT_TRUE(profile_.roles.count(role)) << s.id << " uses missing role " << role;
    }
  }
}

TEST_F(Catalogue, EveryScenarioPreparesAgainstTheSkeleton) {
  std::size_t runnable = 0;
  for (const ScenarioSpec& s : scenarios_) {
    PreparedScenario prepared;
    ow::Status status = prepare_scenario(s, profile_, &prepared);
    ASSERT_TRUE(status.ok()) << status.message();
    EXPECT_EQ(prepared.id, s.id);
    if (!prepared.skip_reason.empty()) continue;
    ++runnable;
    ASSERT_EQ(prepared.steps.size(), s.steps.size()) << s.id;
    for (const PreparedStep& step : prepared.steps) {
      ASSERT_TRUE(step.expect) << s.id;
      EXPECT_EQ(step.expect->responses.size(), step.bodies.size()) << s.id << " " << step.name;
      EXPECT_FALSE(step.bodies.empty());
    }
    if (!prepared.needs_fresh_instance) {
      EXPECT_FALSE(prepared.steps.front().init_identity.empty()) << s.id;
    }
  }
  // Skipped: the stub-less refusal (the skeleton has the stub), init env
  // (the real skeleton ignores it) and the two tar.gz scenarios (it takes
  // zips only).
  EXPECT_EQ(runnable + 4, scenarios_.size());
}

// Every shipped profile provides every role a scenario it runs uses (or
// declares it inexpressible): preparing the whole catalogue never fails.
TEST_F(Catalogue, EveryShippedProfileCoversTheCatalogue) {
  // Profiles with compiled actions are used from the build tree's copy.
  const std::string built = std::string(SKELETON_PROFILE_DIR) + "/..";
  const std::string source = std::string(SCENARIO_DIR) + "/../profiles";
  for (const std::string name : {"nodejs", "python", "actionloop"}) {
    Profile profile;
    ow::Status status =
        load_profile((name == "actionloop" ? built : source) + "/" + name, &profile);
    ASSERT_TRUE(status.ok()) << status.message();
    std::size_t skipped_inexpressible = 0;
    for (const ScenarioSpec& s : scenarios_) {
      PreparedScenario prepared;
      status = prepare_scenario(s, profile, &prepared);
      EXPECT_TRUE(status.ok()) << name << ": " << status.message();
      if (prepared.skip_reason.find("cannot express") != std::string::npos) ++skipped_inexpressible;
    }
    EXPECT_GT(skipped_inexpressible, 0u) << name;
  }
}

TEST_F(Catalogue, StubScenariosSwapWithTheCapability) {
  Profile no_stub = profile_;
  ASSERT_TRUE(set_capability("stub=false", &no_stub).ok());
  for (const ScenarioSpec& s : scenarios_) {
    PreparedScenario with, without;
    ASSERT_TRUE(prepare_scenario(s, profile_, &with).ok());
    ASSERT_TRUE(prepare_scenario(s, no_stub, &without).ok());
    if (s.id == "init.no-code-refused") {
      EXPECT_FALSE(with.skip_reason.empty());
      EXPECT_TRUE(without.skip_reason.empty());
    }
    if (s.id == "init.no-code-keeps-stub" || s.id == "stub.answer-before-init") {
      EXPECT_TRUE(with.skip_reason.empty());
      EXPECT_FALSE(without.skip_reason.empty());
    }
  }
}

TEST_F(Catalogue, MostCommonInitIdentityIsPlainEcho) {
  std::map<std::string, int> counts;
  for (const ScenarioSpec& s : scenarios_) {
    PreparedScenario prepared;
    ASSERT_TRUE(prepare_scenario(s, profile_, &prepared).ok());
    if (prepared.skip_reason.empty() && !prepared.needs_fresh_instance) {
      ++counts[prepared.steps.front().init_identity];
    }
  }
  auto best = std::max_element(counts.begin(), counts.end(),
                               [](const auto& a, const auto& b) { return a.second < b.second; });
  ASSERT_NE(best, counts.end());
  EXPECT_EQ(best->first, "echo|main=main|env={}");
}

}  // namespace
}  // namespace conformance
