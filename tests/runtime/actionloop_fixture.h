// Shared fixture of the `reference_runtime --actionloop` end-to-end tests:
// a bash loop action speaking the protocol, and the runtime in that mode.
#pragma once

#include <stdlib.h>

#include <string>
#include <vector>

#include "tests/runtime/e2e_fixture.h"

namespace rr_test {

// Acks when asked, then answers each line with its own pid, a counter (the
// process is long-lived) and the line it got; logs one line per stream.
// {"value":{"exit":N}} makes it exit, {"value":{"sleep":S}} sleeps first,
// {"value":{"extra":1}} writes a second (stray) line on fd 3 in the same
// write of cat (a stray line that comes after the next activation has begun cannot
// be told from its result: the protocol has no ids).
inline const char kLoop[] = R"(#!/bin/bash
if test -n "$__OW_WAIT_FOR_ACK"; then echo '{"ok":true}' >&3; fi
n=0
while read -r line; do
  n=$((n+1))
  echo "out $n"
  echo "err $n" >&2
  case "$line" in *'"exit":'*) code=${line#*\"exit\":}; exit ${code%%[!0-9]*};; esac
  case "$line" in *'"sleep":'*) s=${line#*\"sleep\":}; sleep ${s%%[!0-9.]*};; esac
  printf -v out '{"pid":%d,"n":%d,"input":%s}' $$ $n "$line"
  case "$line" in *'"extra":'*) cat <<<"$out"$'\n{"stray":true}' >&3;; *) echo "$out" >&3;; esac
done
)";

class ActionLoopTest : public E2eTest {
 protected:
  void SetUp() override {
    for (const char* name : {"OW_WAIT_FOR_ACK", "OW_COMPILER", "OW_EXECUTION_ENV",
                             "OW_LOG_INIT_ERROR", "__OW_API_HOST"})
      unsetenv(name);
  }
  void StartLoop(std::vector<std::string> extra = {}) {
    extra.insert(extra.begin(), "--actionloop");
    Start(extra);
  }
  HttpResult InitCode(const std::string& code, const json& env = json::object()) {
    json body = {{"value", {{"main", "main"}, {"binary", false}, {"code", code}, {"env", env}}}};
    return Post(runtime_->port(), "/init", body.dump());
  }
  static json Answer(const HttpResult& result) { return json::parse(result.body, nullptr, false); }
};

}  // namespace rr_test
