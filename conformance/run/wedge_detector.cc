#include "conformance/run/wedge_detector.h"

namespace conformance {

WedgeDetector::After WedgeDetector::after(const ScenarioResult& result,
                                          const std::function<bool()>& probe_answers) {
  if (!wedged_during_.empty()) return After::kCollateral;
  if (result.steps.empty()) return After::kAnswering;  // nothing sent, nothing learnt
  if (!silent_since_.empty() && !result.steps.front().replied) {
    wedged_during_ = silent_since_;
    return After::kCollateral;
  }
  if (result.steps.back().replied) {
    silent_since_.clear();
    return After::kAnswering;
  }
  if (!probe_answers()) {
    wedged_during_ = result.id;
    return After::kWedged;
  }
  silent_since_ = result.id;
  return After::kAnswering;
}

std::string wedged_reason(const std::string& wedged_during) {
  return "not run: the runtime stopped answering during " + wedged_during +
         " (a shared runtime cannot be restarted; --launch or --image starts a fresh one per "
         "scenario, --keep-going tries every scenario anyway)";
}

}  // namespace conformance
