// Judging a step's observation against its Expectations (judge_step). Every
// expectation yields one ExpectationResult; nothing here throws.
#include "conformance/scenario/judge_step.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <regex>
#include <sstream>

#include "conformance/scenario/expectations.h"
#include "conformance/scenario/json_compare.h"
#include "conformance/scenario/judge_logs.h"

namespace conformance {
namespace {

using nlohmann::json;

std::string join_ints(const std::set<int>& values, const char* separator) {
  std::string out;
  for (int v : values) {
    if (!out.empty()) out += separator;
    out += std::to_string(v);
  }
  return out;
}

std::string describe_status(const StatusExpectation& s) {
  std::string out;
  if (!s.any_of.empty())
    out = s.any_of.size() == 1 ? join_ints(s.any_of, "") : "one of " + join_ints(s.any_of, ", ");
  if (!s.none_of.empty()) out += (out.empty() ? "not " : ", not ") + join_ints(s.none_of, " or ");
  return out;
}

bool status_matches(const StatusExpectation& s, int status) {
  if (!s.any_of.empty() && !s.any_of.count(status)) return false;
  return !s.none_of.count(status);
}

std::string type_name(const json& v) {
  if (v.is_number()) return "number";
  return v.type_name();
}

// Judges one pointer check; `found` is null when the pointer does not resolve.
bool value_check_passes(const ValueCheck& check, const json* found, std::string* actual) {
  *actual = found ? json_brief(*found, 200) : "(absent)";
  switch (check.kind) {
    case ValueCheck::Kind::kAbsent:
      return found == nullptr;
    case ValueCheck::Kind::kPresent:
      return found != nullptr;
    case ValueCheck::Kind::kEquals:
      return found && *found == check.value;
    case ValueCheck::Kind::kOneOf:
      return found &&
             std::find(check.value.begin(), check.value.end(), *found) != check.value.end();
    case ValueCheck::Kind::kRegex:
      return found && found->is_string() &&
             regex_search_bounded(found->get<std::string>(), check.pattern);
    case ValueCheck::Kind::kType:
      return found && type_name(*found) == check.value.get<std::string>();
  }
  return false;
}

std::string describe_check(const ValueCheck& check) {
  switch (check.kind) {
    case ValueCheck::Kind::kAbsent:
      return "absent";
    case ValueCheck::Kind::kPresent:
      return "present";
    case ValueCheck::Kind::kEquals:
      return json_brief(check.value, 200);
    case ValueCheck::Kind::kOneOf:
      return "one of " + json_brief(check.value, 300);
    case ValueCheck::Kind::kRegex:
      return "a string matching /" + check.pattern + "/";
    case ValueCheck::Kind::kType:
      return "a value of type " + check.value.get<std::string>();
  }
  return "";
}

const json* resolve_pointer(const json& doc, const std::string& pointer) {
  try {
    const json::json_pointer p(pointer);
    if (!doc.contains(p)) return nullptr;
    return &doc.at(p);
  } catch (const json::exception&) {
    return nullptr;
  }
}

// Where a body's bytes come from, for a size failure: its value's compact
// JSON, and what the runtime added around it (whitespace, a final newline).
std::string size_breakdown(const std::string& body, const json& parsed, std::uint64_t size) {
  if (parsed.is_discarded()) return " (not JSON)";
  const std::size_t compact = parsed.dump(-1, ' ', false, json::error_handler_t::replace).size();
  if (compact >= size) return ": the value's compact JSON is " + std::to_string(compact) + " bytes";
  std::size_t trailing = 0;
  while (trailing < body.size() &&
         std::isspace(static_cast<unsigned char>(body[body.size() - 1 - trailing])))
    ++trailing;
  std::string out = ": the value's compact JSON is " + std::to_string(compact) + " bytes, " +
                    std::to_string(size - compact) + " more come from the runtime's formatting";
  if (trailing > 0) out += " (" + std::to_string(trailing) + " trailing whitespace/newline)";
  if (size - compact > trailing)
    out += " (" + std::to_string(size - compact - trailing) + " whitespace inside the JSON)";
  return out;
}

void judge_body(const std::string& step, const std::string& prefix, const BodyExpectation& body,
                const HttpResponse& response, std::vector<ExpectationResult>* results) {
  const json parsed = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  const bool is_json = !parsed.is_discarded();
  const std::string raw = text_brief(response.body, 300);
  const std::string not_json = "not JSON: " + raw;
  if (response.body_truncated) {
    add_result(
        results, step, prefix + "body size", false, "a body the harness can read whole",
        "larger than the harness keeps (" + std::to_string(response.body.size()) + " bytes kept)");
  }
  if (body.max_bytes) {
    const std::uint64_t size = response.content_length.value_or(response.body.size());
    add_result(results, step, prefix + "body size (C1.4)", size <= *body.max_bytes,
               "at most " + std::to_string(*body.max_bytes) + " bytes (Content-Length)",
               std::to_string(size) + " bytes" + size_breakdown(response.body, parsed, size));
  }
  if (!body.is.empty()) {
    const bool ok = is_json && (body.is == "json" || (body.is == "object" && parsed.is_object()) ||
                                (body.is == "array" && parsed.is_array()));
    add_result(results, step, prefix + "body is " + body.is, ok,
               "a JSON " + (body.is == "json" ? std::string("value") : body.is),
               is_json ? json_brief(parsed, 200) : not_json);
  }
  if (body.equals) {
    add_result(results, step, prefix + "body equals", is_json && parsed == *body.equals,
               json_brief(*body.equals), is_json ? json_brief(parsed) : not_json);
  }
  if (body.subset) {
    std::string where;
    const bool ok = is_json && json_subset(*body.subset, parsed, &where);
    add_result(results, step, prefix + "body contains", ok, json_brief(*body.subset),
               !is_json ? not_json
               : ok     ? json_brief(parsed)
                        : where);
  }
  for (const auto& [pointer, check] : body.pointers) {
    std::string actual;
    const json* found = is_json ? resolve_pointer(parsed, pointer) : nullptr;
    bool ok = is_json && value_check_passes(check, found, &actual);
    if (!is_json) actual = not_json;
    add_result(results, step, prefix + "body " + pointer, ok, describe_check(check), actual);
  }
  if (body.regex) {
    add_result(results, step, prefix + "body matches",
               regex_search_bounded(response.body, *body.regex), "/" + *body.regex + "/", raw);
  }
}

bool is_clean_refusal(const HttpResult& seen) {
  if (!seen.ok() || seen.response.status == 200 || seen.response.status == 503) return false;
  if (!seen.response.content_length || seen.response.chunked) return false;
  const json parsed = json::parse(seen.response.body, nullptr, false);
  return parsed.is_object() && parsed.contains("error");
}

const char* stream_label(Stream s) { return s == Stream::kStdout ? "stdout" : "stderr"; }

std::string replace_index(std::string pattern, std::size_t i) {
  const std::string index = std::to_string(i);
  for (std::size_t at = pattern.find("{i}"); at != std::string::npos;
       at = pattern.find("{i}", at)) {
    pattern.replace(at, 3, index);
    at += index.size();
  }
  return pattern;
}

// C3.9 per stream: request i's marked lines (the log marker with {i}) have
// no other request's marked lines between them, and after its last one the
// next marked line or sentinel is a sentinel. Lines no marker matches (the
// runtime's own diagnostics, e.g. about a refused overlap) are not an
// activation's lines and are ignored.
void judge_interleaving(const PreparedStep& step, const std::vector<std::size_t>& accepted,
                        Stream stream, const std::vector<const LogLine*>& lines,
                        std::vector<ExpectationResult>* results) {
  const std::string& marker = step.expect->concurrency.log_marker;
  const std::size_t n = step.bodies.size();
  // owner[k]: the request whose marker line k matches; n for a sentinel; n+1 for others.
  std::vector<std::size_t> owner(lines.size(), n + 1);
  for (std::size_t k = 0; k < lines.size(); ++k) {
    if (lines[k]->is_sentinel) {
      owner[k] = n;
      continue;
    }
    for (std::size_t r = 0; r < n; ++r) {
      if (regex_search_bounded(lines[k]->text, replace_index(marker, r))) {
        owner[k] = r;
        break;
      }
    }
  }
  for (std::size_t i : accepted) {
    const std::string what = std::string(stream_label(stream)) + " logs of request " +
                             std::to_string(i) + " kept together, then a sentinel";
    std::vector<std::size_t> at;
    for (std::size_t k = 0; k < lines.size(); ++k) {
      if (owner[k] == i) at.push_back(k);
    }
    if (at.empty()) {
      add_result(results, step.name, what, false,
                 "lines matching /" + replace_index(marker, i) + "/", "none");
      continue;
    }
    std::vector<std::string> foreign;
    for (std::size_t k = at.front(); k < at.back(); ++k) {
      if (owner[k] < n && owner[k] != i) foreign.push_back(text_brief(lines[k]->text, 80));
    }
    std::size_t next = at.back() + 1;
    while (next < lines.size() && owner[next] == n + 1) ++next;
    const bool sentinel_next = next < lines.size() && owner[next] == n;
    std::string actual = "lines " + std::to_string(at.front()) + ".." + std::to_string(at.back());
    if (!foreign.empty()) {
      actual += ", with another activation's lines among them:";
      for (std::size_t f = 0; f < foreign.size() && f < 4; ++f) actual += " '" + foreign[f] + "'";
      if (foreign.size() > 4) actual += " (+" + std::to_string(foreign.size() - 4) + " more)";
    }
    if (!sentinel_next) {
      actual += next < lines.size() ? ", followed by another activation's line '" +
                                          text_brief(lines[next]->text, 80) + "' before a sentinel"
                                    : ", not followed by a sentinel";
    }
    add_result(results, step.name, what, foreign.empty() && sentinel_next,
               "its lines with no other activation's lines among them, then the sentinel", actual);
  }
}

void judge_concurrency(const PreparedStep& step, const StepObservation& seen,
                       std::vector<ExpectationResult>* results) {
  const Expectations& expect = *step.expect;
  const Overlap overlap = expect.concurrency.overlap;
  std::vector<std::size_t> accepted;
  std::size_t refused = 0;
  for (std::size_t i = 0; i < seen.results.size() && i < expect.responses.size(); ++i) {
    const std::string label = "request " + std::to_string(i);
    const HttpResult& r = seen.results[i];
    if (r.ok() && r.response.status == 200) {
      accepted.push_back(i);
      judge_response(step.name, label, expect.responses[i], r, results);
    } else if (overlap != Overlap::kParallel && is_clean_refusal(r)) {
      ++refused;
      add_result(results, step.name, label + " refused cleanly", true,
                 "non-200 with an error object",
                 std::to_string(r.response.status) + " " + text_brief(r.response.body, 200));
    } else {
      judge_response(step.name, label, expect.responses[i], r, results);
      if (overlap != Overlap::kParallel) {
        add_result(results, step.name, label + " accepted or refused cleanly", false,
                   "200 with its own result, or non-200 with an error object",
                   r.ok()
                       ? std::to_string(r.response.status) + " " + text_brief(r.response.body, 200)
                       : std::string("transport error: ") + r.error_message);
      }
    }
  }
  const std::size_t n = step.bodies.size();
  if (overlap != Overlap::kParallel) {
    add_result(results, step.name, "at least one overlapping run accepted", !accepted.empty(),
               ">= 1", std::to_string(accepted.size()) + " of " + std::to_string(n));
  }
  if (overlap == Overlap::kRefuse) {
    add_result(results, step.name, "overlap refused", refused > 0, ">= 1 refused request",
               std::to_string(refused) + " of " + std::to_string(n));
  }
  if (expect.concurrency.log_marker.empty()) return;
  if (!seen.logs_available) {
    add_result(results, step.name, "logs not interleaved", false, "the runtime's log streams",
               "not available");
    return;
  }
  for (Stream stream : {Stream::kStdout, Stream::kStderr}) {
    std::vector<const LogLine*> lines;
    for (const LogLine& l : seen.log_lines) {
      if (l.stream == stream) lines.push_back(&l);
    }
    const std::size_t sentinels = static_cast<std::size_t>(
        std::count_if(lines.begin(), lines.end(), [](const LogLine* l) { return l->is_sentinel; }));
    add_result(
        results, step.name, std::string(stream_label(stream)) + " sentinels",
        sentinels >= accepted.size() && sentinels <= n,
        "one per accepted run (" + std::to_string(accepted.size()) + ".." + std::to_string(n) + ")",
        std::to_string(sentinels));
    judge_interleaving(step, accepted, stream, lines, results);
  }
}

}  // namespace

void judge_response(const std::string& step, const std::string& label,
                    const ResponseExpectation& expect, const HttpResult& seen,
                    std::vector<ExpectationResult>* results) {
  const std::string prefix = label.empty() ? "" : label + " ";
  if (!seen.ok()) {
    add_result(results, step, prefix + "response", false, "an HTTP response",
               "transport error: " + seen.error_message);
    return;
  }
  const HttpResponse& response = seen.response;
  add_result(results, step, prefix + "Content-Length (C1.2)",
             response.content_length.has_value() && !response.chunked,
             "a Content-Length, not chunked",
             response.chunked          ? "chunked"
             : response.content_length ? std::to_string(*response.content_length)
                                       : "absent");
  add_result(results, step, prefix + "not 503 (C1.3)", response.status != 503, "any status but 503",
             std::to_string(response.status));
  if (expect.status.specified) {
    add_result(results, step, prefix + "status", status_matches(expect.status, response.status),
               describe_status(expect.status), std::to_string(response.status));
  }
  if (expect.platform_outcome) {
    const ActivationResponse mapped = map_run_response(seen, std::chrono::hours(1));
    add_result(results, step, prefix + "platform outcome (C4.4)",
               mapped.status == *expect.platform_outcome, status_text(*expect.platform_outcome),
               std::string(status_text(mapped.status)) + " (" + std::to_string(response.status) +
                   " " + text_brief(response.body, 120) + ")");
  }
  if (expect.json_content_type) {
    const bool is_json = json::accept(response.body);
    std::string type = response.header("content-type").value_or("");
    std::string lower = type;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    const bool ok = !is_json || lower.rfind("application/json", 0) == 0;
    add_result(results, step, prefix + "Content-Type (C1.2)", ok, "application/json on a JSON body",
               is_json ? (type.empty() ? "absent" : type) : "body is not JSON (" + type + ")");
  }
  judge_body(step, prefix, expect.body, response, results);
}

std::vector<ExpectationResult> judge_step(const PreparedStep& step, const StepObservation& seen) {
  std::vector<ExpectationResult> results;
  if (!step.expect) {
    add_result(&results, step.name, "expectations", false, "prepared expectations",
               "none (harness bug)");
    return results;
  }
  const Expectations& expect = *step.expect;
  if (seen.results.size() != step.bodies.size()) {
    add_result(&results, step.name, "responses", false, std::to_string(step.bodies.size()),
               std::to_string(seen.results.size()));
  }
  if (step.kind == StepKind::kConcurrentRuns) {
    judge_concurrency(step, seen, &results);
  } else if (!seen.results.empty() && !expect.responses.empty()) {
    judge_response(step.name, "", expect.responses.front(), seen.results.front(), &results);
  }
  if (expect.logs.any()) judge_logs(step.name, expect.logs, seen, &results);
  if (!seen.outside_writes.empty()) {
    add_result(&results, step.name, "nothing written outside the action dir", false,
               "no file beside {dir}, the canary there unchanged", seen.outside_writes);
  }
  if (seen.runtime_exited) {
    add_result(&results, step.name, "runtime still running", false, "running",
               "exited during the step");
  }
  return results;
}

// std::regex recurses per character: bound what it sees so a huge body or
// log line cannot overflow the stack.
constexpr std::size_t kMaxRegexInput = 4096;

bool regex_search_bounded(const std::string& text, const std::string& pattern) {
  try {
    const std::regex re(pattern);
    if (text.size() <= kMaxRegexInput) return std::regex_search(text, re);
    return std::regex_search(text.substr(0, kMaxRegexInput), re);
  } catch (const std::exception&) {
    return false;  // patterns were validated at load; a runtime error counts as no match
  }
}

void add_result(std::vector<ExpectationResult>* results, const std::string& step, std::string what,
                bool passed, std::string expected, std::string actual) {
  ExpectationResult r;
  r.step = step;
  r.what = std::move(what);
  r.passed = passed;
  r.expected = std::move(expected);
  r.actual = std::move(actual);
  results->push_back(std::move(r));
}

}  // namespace conformance
