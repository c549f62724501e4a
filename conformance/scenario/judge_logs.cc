// Judging a step's log lines (C3.6, C3.7): per stream presence, absence,
// order, sentinel counts and lines after the sentinel.
#include "conformance/scenario/judge_logs.h"

#include <algorithm>
#include <regex>

#include "conformance/scenario/expectations.h"
#include "conformance/scenario/json_compare.h"
#include "conformance/scenario/judge_step.h"

namespace conformance {
namespace {

// The last few lines, for a failure message.
std::string tail(const std::vector<const LogLine*>& lines) {
  if (lines.empty()) return "(no lines)";
  std::string out;
  const std::size_t from = lines.size() > 6 ? lines.size() - 6 : 0;
  if (from > 0) out = "... ";
  for (std::size_t i = from; i < lines.size(); ++i) {
    if (i > from) out += " | ";
    out += lines[i]->is_sentinel ? "<sentinel>" : text_brief(lines[i]->text, 120);
  }
  return out;
}

void judge_stream(const std::string& step, const char* name, const StreamLogExpectation& expect,
                  const std::vector<const LogLine*>& lines, bool sentinels_arrived,
                  std::vector<ExpectationResult>* results) {
  const std::string stream = name;
  std::vector<const LogLine*> texts;  // without sentinels
  std::size_t sentinels = 0;
  for (const LogLine* l : lines) {
    if (l->is_sentinel) {
      ++sentinels;
    } else {
      texts.push_back(l);
    }
  }
  auto has_line = [&](const std::string& wanted) {
    return std::any_of(texts.begin(), texts.end(),
                       [&](const LogLine* l) { return l->text == wanted; });
  };
  auto has_match = [&](const std::string& pattern) {
    return std::any_of(texts.begin(), texts.end(),
                       [&](const LogLine* l) { return regex_search_bounded(l->text, pattern); });
  };
  for (const std::string& s : expect.contains) {
    add_result(results, step, stream + " has line", has_line(s), s, tail(lines));
  }
  for (const std::string& s : expect.mentions) {
    const bool found = std::any_of(texts.begin(), texts.end(), [&](const LogLine* l) {
      return l->text.find(s) != std::string::npos;
    });
    add_result(results, step, stream + " has line mentioning", found, "a line containing " + s,
               tail(lines));
  }
  for (const std::string& p : expect.contains_regex) {
    add_result(results, step, stream + " has line matching", has_match(p), "/" + p + "/",
               tail(lines));
  }
  for (const std::string& s : expect.absent) {
    add_result(results, step, stream + " lacks line", !has_line(s), "no line " + s, tail(lines));
  }
  for (const std::string& p : expect.absent_regex) {
    add_result(results, step, stream + " lacks line matching", !has_match(p),
               "no line matching /" + p + "/", tail(lines));
  }
  if (expect.empty) {
    add_result(results, step, stream + " empty", texts.empty(), "no lines but sentinels",
               tail(lines));
  }
  if (expect.sentinels) {
    std::string actual = std::to_string(sentinels);
    if (!sentinels_arrived) actual += " (stopped waiting at the step deadline)";
    add_result(results, step, stream + " sentinels", sentinels == *expect.sentinels,
               std::to_string(*expect.sentinels), actual);
  }
  if (expect.before_sentinel) {
    auto first =
        std::find_if(lines.begin(), lines.end(), [](const LogLine* l) { return l->is_sentinel; });
    const bool after =
        first != lines.end() &&
        std::any_of(first + 1, lines.end(), [](const LogLine* l) { return !l->is_sentinel; });
    std::string actual = first == lines.end() ? "no sentinel"
                         : after              ? "lines after the sentinel: " + tail(lines)
                                              : "all before";
    add_result(results, step, stream + " lines before the sentinel", first != lines.end() && !after,
               "every line, then the sentinel", actual);
  }
  if (!expect.in_order.empty()) {
    std::size_t next = 0;
    for (const LogLine* l : texts) {
      if (next < expect.in_order.size() && l->text == expect.in_order[next]) ++next;
    }
    std::string wanted;
    for (const std::string& s : expect.in_order) wanted += (wanted.empty() ? "" : " < ") + s;
    add_result(results, step, stream + " lines in order", next == expect.in_order.size(), wanted,
               next == expect.in_order.size() ? "in order"
                                              : "missing or out of order from '" +
                                                    expect.in_order[next] + "': " + tail(lines));
  }
}

}  // namespace

void judge_logs(const std::string& step, const LogExpectation& expect, const StepObservation& seen,
                std::vector<ExpectationResult>* results) {
  if (!seen.logs_available) {
    add_result(results, step, "logs", false, "the runtime's log streams", "not available");
    return;
  }
  std::vector<const LogLine*> out, err;
  for (const LogLine& l : seen.log_lines) (l.stream == Stream::kStdout ? out : err).push_back(&l);
  if (expect.out.any())
    judge_stream(step, "stdout", expect.out, out, seen.sentinels_arrived, results);
  if (expect.err.any())
    judge_stream(step, "stderr", expect.err, err, seen.sentinels_arrived, results);
}

}  // namespace conformance
