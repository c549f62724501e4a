#include "conformance/report/run_report.h"

namespace conformance {

const char* to_string(Outcome o) {
  switch (o) {
    case Outcome::kPass:
      return "pass";
    case Outcome::kFail:
      return "fail";
    case Outcome::kWarn:
      return "warn";
    case Outcome::kSkip:
      return "skip";
    case Outcome::kError:
      return "error";
  }
  return "?";
}

const char* to_string(Level l) { return l == Level::kMust ? "must" : "should"; }

Totals RunReport::totals() const {
  Totals t;
  for (const auto& s : scenarios) {
    switch (s.outcome) {
      case Outcome::kPass:
        ++t.passed;
        break;
      case Outcome::kFail:
        ++t.failed;
        break;
      case Outcome::kWarn:
        ++t.warned;
        break;
      case Outcome::kSkip:
        ++t.skipped;
        break;
      case Outcome::kError:
        ++t.errored;
        break;
    }
  }
  return t;
}

}  // namespace conformance
