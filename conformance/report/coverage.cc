// coverage_of (run_summary.h): the contract sections a run exercised.
#include <algorithm>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "conformance/report/run_summary.h"

namespace conformance {
namespace {

// "C2.3, C3.8" -> {"C2.3", "C3.8"}.
std::vector<std::string> cited_sections(const std::string& field) {
  std::vector<std::string> sections;
  std::size_t begin = 0;
  while (begin <= field.size()) {
    std::size_t end = field.find(',', begin);
    if (end == std::string::npos) end = field.size();
    std::string part = field.substr(begin, end - begin);
    part.erase(0, part.find_first_not_of(" \t"));
    part.erase(part.find_last_not_of(" \t") + 1);
    if (!part.empty()) sections.push_back(part);
    begin = end + 1;
  }
  return sections;
}

// The numbers of "C2.10" -> {2, 10}, so C2.10 sorts after C2.9.
std::vector<long> section_numbers(const std::string& section) {
  std::vector<long> numbers;
  const char* p = section.c_str();
  while (*p != '\0') {
    if (*p >= '0' && *p <= '9') {
      char* end = nullptr;
      numbers.push_back(std::strtol(p, &end, 10));
      p = end;
    } else {
      ++p;
    }
  }
  return numbers;
}

}  // namespace

Coverage coverage_of(const RunReport& report) {
  Coverage c;
  c.catalogue_scenarios = report.catalogue_scenarios;
  c.selected = report.scenarios.size();
  std::map<std::string, SectionCoverage> by_section;
  for (const ScenarioResult& r : report.scenarios) {
    const bool ran = r.outcome != Outcome::kSkip;
    c.run += ran;
    for (const std::string& section : cited_sections(r.section)) {
      SectionCoverage& s = by_section[section];
      s.section = section;
      ++s.scenarios;
      s.run += ran;
    }
  }
  for (auto& entry : by_section) c.sections.push_back(entry.second);
  std::sort(c.sections.begin(), c.sections.end(),
            [](const SectionCoverage& a, const SectionCoverage& b) {
              const auto na = section_numbers(a.section), nb = section_numbers(b.section);
              return na != nb ? na < nb : a.section < b.section;
            });
  return c;
}

}  // namespace conformance
