// plan_shared_run: what runs on one shared instance (--url), in which order,
// and why the rest is skipped. Pure: no runtime, no transport.
#include "conformance/run/shared_plan.h"

#include <gtest/gtest.h>

namespace conformance {
namespace {

using Indexes = std::vector<std::size_t>;

PreparedScenario begins_with_run(bool needs_fresh) {
  PreparedScenario s;
  s.needs_fresh_instance = needs_fresh;
  PreparedStep run;
  run.kind = StepKind::kRun;
  s.steps.push_back(run);
  return s;
}

PreparedScenario begins_with_init(const std::string& identity) {
  PreparedScenario s;
  PreparedStep init;
  init.kind = StepKind::kInit;
  init.init_identity = identity;
  s.steps.push_back(init);
  s.steps.push_back(PreparedStep{});
  return s;
}

TEST(SharedPlanTest, PristineRunsFirstThenTheSharedInitThenAnyState) {
  const std::vector<PreparedScenario> scenarios = {
      begins_with_run(/*needs_fresh=*/false),  // 0: any state
      begins_with_init("echo"),                // 1
      begins_with_run(/*needs_fresh=*/true),   // 2: pristine
      begins_with_init("echo"),                // 3
  };
  const SharedRunPlan plan = plan_shared_run(scenarios, /*logs_available=*/true);
  EXPECT_EQ(plan.first_runs, Indexes({2}));
  EXPECT_EQ(plan.init_group, Indexes({1, 3}));
  EXPECT_EQ(plan.any_state, Indexes({0}));
  EXPECT_TRUE(plan.skipped.empty());
}

TEST(SharedPlanTest, TheMostCommonInitWinsTiesGoToTheFirst) {
  const std::vector<PreparedScenario> scenarios = {begins_with_init("a"), begins_with_init("b"),
                                                   begins_with_init("b"), begins_with_init("c")};
  const SharedRunPlan plan = plan_shared_run(scenarios, true);
  EXPECT_EQ(plan.init_group, Indexes({1, 2}));
  ASSERT_EQ(plan.skipped.size(), 2u);
  EXPECT_EQ(plan.skipped[0], std::make_pair(std::size_t{0}, std::string(kNeedsFreshReason)));
  EXPECT_EQ(plan.skipped[1], std::make_pair(std::size_t{3}, std::string(kNeedsFreshReason)));

  const SharedRunPlan tie = plan_shared_run({begins_with_init("x"), begins_with_init("y")}, true);
  EXPECT_EQ(tie.init_group, Indexes({0}));
}

TEST(SharedPlanTest, SkipsSayWhyInCatalogueOrder) {
  PreparedScenario missing_capability = begins_with_run(false);
  missing_capability.skip_reason = "needs capability stub";
  PreparedScenario wants_logs = begins_with_run(false);
  wants_logs.needs_logs = true;
  const PreparedScenario unshareable_init = begins_with_init("");  // e.g. a failing init
  const std::vector<PreparedScenario> scenarios = {unshareable_init, wants_logs,
                                                   missing_capability};

  const SharedRunPlan without_logs = plan_shared_run(scenarios, /*logs_available=*/false);
  ASSERT_EQ(without_logs.skipped.size(), 3u);
  EXPECT_EQ(without_logs.skipped[0].second, kNeedsFreshReason);
  EXPECT_EQ(without_logs.skipped[1].second, kNeedsLogsReason);
  EXPECT_EQ(without_logs.skipped[2].second, "needs capability stub");
  EXPECT_TRUE(without_logs.any_state.empty());

  const SharedRunPlan with_logs = plan_shared_run(scenarios, /*logs_available=*/true);
  EXPECT_EQ(with_logs.any_state, Indexes({1}));
  EXPECT_EQ(with_logs.skipped.size(), 2u);
}

}  // namespace
}  // namespace conformance
