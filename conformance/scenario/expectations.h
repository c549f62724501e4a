// Expectations: the parsed `expect` of one prepared step (docs/scenarios.md),
// with every placeholder already resolved, and the judge that compares them
// with what the runner observed (judge_step.h).
//
// Besides what a scenario asks for, every response is always checked for a
// Content-Length, no chunked encoding and no 503 (C1.2, C1.3), and every
// step for the runtime still running. Regexes (ECMAScript, search) see at most
// the first 4096 bytes of a body or line: std::regex recurses per character. Values are immutable
// once built and shared between threads read-only. Parsing returns ow::Status; judging never
// throws.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "conformance/invoke/activation.h"
#include "conformance/scenario/scenario.h"

namespace conformance {

// "status": 200 | [403, 409] | {"not": [200]}
struct StatusExpectation {
  bool specified = false;
  std::set<int> any_of;  // empty: any status not in none_of
  std::set<int> none_of;
};

// A check on the value at a JSON pointer: a plain JSON value means equals;
// {"equals": v}, {"one_of": [..]}, {"regex": "..."} (strings only; search),
// {"absent": true}, {"present": true}, {"type": "object"|"array"|"string"|
// "number"|"boolean"|"null"}.
struct ValueCheck {
  enum class Kind { kEquals, kOneOf, kRegex, kAbsent, kPresent, kType };
  Kind kind = Kind::kEquals;
  nlohmann::json value;  // kEquals: the value; kOneOf: an array; kType: the type name
  std::string pattern;   // kRegex
};

struct BodyExpectation {
  std::optional<nlohmann::json> equals;                      // JSON value equality (never bytes)
  std::optional<nlohmann::json> subset;                      // recursive object subset
  std::vector<std::pair<std::string, ValueCheck>> pointers;  // JSON pointer -> check
  std::optional<std::string> regex;                          // on the raw body (search)
  std::string is;                                            // "", "json", "object", "array"
  // At most this many bytes, judged by Content-Length as the platform does (C1.4).
  std::optional<std::size_t> max_bytes;
};

struct ResponseExpectation {
  StatusExpectation status;
  // "platform_outcome": what the platform makes of this /run answer by its
  // result mapping (C4.4, ActivationResult.processRunResponseContent):
  // e.g. a rejected result is any answer that ends as a developer error
  // (a non-200, or a 200 whose body is not an object or array, like null).
  std::optional<ActivationStatus> platform_outcome;
  BodyExpectation body;
  bool json_content_type = false;  // "headers": {"json_content_type": true}: C1.2
};

// Per stream: "contains" (exact lines), "contains_regex", "absent" (exact),
// "absent_regex", "empty" (no lines but sentinels), "sentinels" (exact count),
// "before_sentinel" (every line of this step precedes the stream's first
// sentinel), "in_order" (these exact lines appear in this relative order).
struct StreamLogExpectation {
  std::vector<std::string> contains, contains_regex, absent, absent_regex, in_order;
  // "mentions": a line contains this text, possibly behind a prefix the
  // runtime adds to its own diagnostics (a timestamp, "Internal system error: ").
  std::vector<std::string> mentions;
  bool empty = false;
  std::optional<std::size_t> sentinels;
  bool before_sentinel = false;
  bool any() const;
};

struct LogExpectation {
  StreamLogExpectation out, err;
  bool any() const { return out.any() || err.any(); }
};

// kConcurrentRuns: what to accept of the overlap (C3.9).
enum class Overlap {
  kParallel,  // every request answered per `responses`
  kRefuse,    // at least one accepted; the others refused cleanly
  kEither,    // each accepted or refused cleanly; at least one accepted
};
struct ConcurrencyExpectation {
  Overlap overlap = Overlap::kEither;
  // Regex identifying request i's log lines, "{i}" replaced by i: those lines
  // must be contiguous in each stream and followed by a sentinel before any
  // other activation's lines (not interleaved). Empty: no log check.
  std::string log_marker;
};

struct Expectations {
  // One per request of the step (kInit/kRun: one; kConcurrentRuns: N). For a
  // concurrent step, a refused request (non-200 with an `error` object) is
  // judged as a clean refusal instead, when the overlap policy allows.
  std::vector<ResponseExpectation> responses;
  LogExpectation logs;
  ConcurrencyExpectation concurrency;
};

// Parses one resolved `expect` object's response part ("status", "body",
// "headers") into `out`. Unknown keys, bad regexes, bad pointers are errors.
ow::Status parse_response_expectation(const nlohmann::json& expect, ResponseExpectation* out);
// Parses the "logs" part ({"stdout": {...}, "stderr": {...}}).
ow::Status parse_log_expectation(const nlohmann::json& logs, LogExpectation* out);
// Parses a "concurrency" part ({"overlap": "parallel"|"refuse"|"either", "log_marker": "..."}).
ow::Status parse_concurrency_expectation(const nlohmann::json& concurrency,
                                         ConcurrencyExpectation* out);
Overlap overlap_from_name(const std::string& name, bool* ok);
bool platform_outcome_from_name(const std::string& name, std::optional<ActivationStatus>* out);

}  // namespace conformance
