// Levenshtein distance, for "did you mean ...?" suggestions (mock_invoker's
// commands, reference_runtime's fault names). Header-only.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

namespace ow {

// Insertions, deletions and substitutions needed to turn `a` into `b`.
inline std::size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace ow
