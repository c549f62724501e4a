#include "reference_runtime/faults/fault_catalogue.h"

#include <unistd.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <utility>

#include "common/edit_distance.h"
#include "reference_runtime/faults/exec_faults.h"
#include "reference_runtime/faults/handler_faults.h"
#include "reference_runtime/faults/log_faults.h"
#include "reference_runtime/faults/result_faults.h"
#include "reference_runtime/faults/store_faults.h"
#include "reference_runtime/faults/wire_faults.h"

namespace rr::faults {

namespace {

using Apply = std::function<void(Decorators*)>;

Apply Logs(LogFault fault) {
  return [fault](Decorators* d) {
    ComposeDecorator<LogWriter>(&d->logs, [fault](std::unique_ptr<LogWriter> inner) {
      return std::make_unique<FaultyLogWriter>(std::move(inner), fault);
    });
  };
}

Apply Exec(ExecFault fault) {
  return [fault](Decorators* d) {
    ComposeDecorator<Executor>(&d->executor, [fault](std::unique_ptr<Executor> inner) {
      return std::make_unique<FaultyExecutor>(std::move(inner), fault);
    });
  };
}

Apply Results(ResultFault fault) {
  return [fault](Decorators* d) {
    ComposeDecorator<ResultInterpreter>(
        &d->results, [fault](std::unique_ptr<ResultInterpreter> inner) {
          return std::make_unique<FaultyResultInterpreter>(std::move(inner), fault);
        });
  };
}

Apply Store(StoreFault fault) {
  return [fault](Decorators* d) {
    ComposeDecorator<ActionStore>(&d->store, [fault](std::unique_ptr<ActionStore> inner) {
      return std::make_unique<FaultyActionStore>(std::move(inner), fault);
    });
  };
}

Apply Wire(WireFault fault) {
  return [fault](Decorators* d) {
    ComposeDecorator<WireEncoder>(&d->encoder, [fault](std::unique_ptr<WireEncoder> inner) {
      return std::make_unique<FaultyWireEncoder>(std::move(inner), fault);
    });
  };
}

Apply HandlerOnly(HandlerFault fault) {
  return [fault](Decorators* d) {
    ComposeDecorator<Handler>(&d->handler, [fault](std::unique_ptr<Handler> inner) {
      return std::make_unique<FaultyHandler>(std::move(inner), fault, nullptr);
    });
  };
}

// The handler decorator needs the log writer: the runtime builds the log
// writer first, so a pass-through log decorator records it for the handler.
Apply HandlerWithLogs(HandlerFault fault) {
  return [fault](Decorators* d) {
    auto writer = std::make_shared<LogWriter*>(nullptr);
    ComposeDecorator<LogWriter>(&d->logs, [writer](std::unique_ptr<LogWriter> logs) {
      *writer = logs.get();
      return logs;
    });
    ComposeDecorator<Handler>(&d->handler, [fault, writer](std::unique_ptr<Handler> inner) {
      return std::make_unique<FaultyHandler>(std::move(inner), fault, *writer);
    });
  };
}

Apply Interleave() {
  return [](Decorators* d) {
    ComposeDecorator<LogWriter>(&d->logs, [](std::unique_ptr<LogWriter> inner) {
      return std::make_unique<InterleavingLogWriter>(std::move(inner), STDOUT_FILENO,
                                                     STDERR_FILENO);
    });
  };
}

struct Entry {
  FaultInfo info;
  Apply apply;
};

const std::vector<Entry>& Catalogue() {
  // clang-format off
  static const std::vector<Entry> catalogue = {
      {{"no-stdout-sentinel", "C3.7", "no sentinel on stdout after a /run"},
       Logs(LogFault::kNoStdoutSentinel)},
      {{"no-stderr-sentinel", "C3.7", "no sentinel on stderr after a /run"},
       Logs(LogFault::kNoStderrSentinel)},
      {{"sentinel-before-logs", "C3.7", "the sentinels come before the activation's log lines"},
       Logs(LogFault::kSentinelBeforeLogs)},
      {{"double-sentinel", "C3.7", "two sentinels per stream after each /run"},
       Logs(LogFault::kDoubleSentinel)},
      {{"sentinel-after-init", "C2.1", "a successful /init writes a sentinel on each stream"},
       HandlerWithLogs(HandlerFault::kSentinelAfterInit)},
      {{"second-init-accepted", "C2.6", "a second /init is answered 200"},
       HandlerOnly(HandlerFault::kSecondInitAccepted)},
      {{"second-init-other-text", "C2.6",
        "a second /init is refused 403 with another text than the canonical one"},
       HandlerOnly(HandlerFault::kSecondInitOtherText)},
      {{"no-stub", "C2.7", "no stub: /run before /init finds no executable"},
       Store(StoreFault::kNoStub)},
      {{"init-env-ignored", "C2.5", "the env of /init is not exported to the action"},
       HandlerOnly(HandlerFault::kInitEnvIgnored)},
      {{"context-not-exported", "C3.3", "/run keys other than value are not exported as __OW_*"},
       HandlerOnly(HandlerFault::kContextNotExported)},
      {{"context-leaks", "C3.3", "__OW_* variables of earlier runs leak into later runs"},
       Exec(ExecFault::kContextLeak)},
      {{"argument-stdin-only", "C3.1", "the argument is never passed as argv[1]"},
       Exec(ExecFault::kStdinOnly)},
      {{"argument-argv-only", "C3.1", "stdin is empty when the argument is in argv"},
       Exec(ExecFault::kArgvOnly)},
      {{"large-argument-truncated", "C3.10", "arguments over 64 KiB are cut to 64 KiB"},
       Exec(ExecFault::kTruncateLarge)},
      {{"non-json-result-accepted", "C3.4", "a last line that is not JSON is answered 200"},
       Results(ResultFault::kNonJsonAccepted)},
      {{"scalar-result-accepted", "C3.4", "a JSON scalar last line is answered 200"},
       Results(ResultFault::kScalarAccepted)},
      {{"array-result-refused", "C3.4", "an array result is refused with 502"},
       Results(ResultFault::kArrayRefused)},
      {{"non-object-value-accepted", "C3.2", "a scalar /run value runs the action (as {})"},
       HandlerOnly(HandlerFault::kNonObjectValue)},
      {{"archive-traversal-extracted", "C2.3",
        "archive entries named ../x or /x are written outside the action dir"},
       Store(StoreFault::kTraversalExtracted)},
      {{"malformed-run-as-empty", "C3.2", "a /run body that is not JSON runs the action with {}"},
       HandlerOnly(HandlerFault::kMalformedRunAsEmpty)},
      {{"non-object-value-wedges", "C3.2",
        "after a non-object value every later /run is refused 403"},
       HandlerOnly(HandlerFault::kNonObjectWedges)},
      {{"waits-for-background-output", "C4.2",
        "the answer waits until a background child of the action closes its stdout"},
       Exec(ExecFault::kWaitForOutputEof)},
      {{"bad-output-status-500", "C3.4", "malformed action output is answered 500, not 502"},
       Results(ResultFault::kBadOutputStatus)},
      {{"result-from-first-line", "C3.4", "the result is the first stdout line, not the last"},
       Exec(ExecFault::kFirstLineResult)},
      {{"stderr-dropped", "C3.6", "the action's stderr lines are not logged"},
       Logs(LogFault::kDropStderr)},
      {{"stdout-logs-dropped", "C3.6", "the action's stdout log lines are not logged"},
       Logs(LogFault::kDropStdout)},
      {{"chunked-responses", "C1.2", "responses are chunked, without Content-Length"},
       Wire(WireFault::kChunked)},
      {{"no-content-type", "C1.2", "JSON replies carry no Content-Type"},
       Wire(WireFault::kNoContentType)},
      {{"errors-as-503", "C1.3", "every error status is sent as 503"},
       HandlerOnly(HandlerFault::kErrorsAs503)},
      {{"pretty-results", "C3.10", "results are pretty-printed (a 1 MiB echo exceeds 1 MiB)"},
       Results(ResultFault::kPrettyPrinted)},
      {{"unicode-mangled", "C3.1", "non-ASCII bytes of results are re-encoded as Latin-1"},
       Results(ResultFault::kUnicodeMangled)},
      {{"archive-only-exec", "C2.3", "archive files other than exec are not extracted"},
       Store(StoreFault::kOnlyExec)},
      {{"archive-exec-bit-lost", "C2.3", "extracted archive files lose their execute bits"},
       Store(StoreFault::kExecBitLost)},
      {{"archive-tar-gz-refused", "C2.3",
        "a tar.gz archive is refused at /init (the actionloop proxy extracts it like a zip)"},
       Store(StoreFault::kTarGzRefused)},
      {{"wrong-working-dir", "C3.8", "the action runs in / instead of the action dir"},
       Exec(ExecFault::kWrongWorkingDir)},
      {{"interleaved-logs", "C3.9", "overlapping runs' log lines are written interleaved"},
       Interleave()},
      {{"run-never-answers", "C4.2", "a /run runs but is never answered"},
       HandlerOnly(HandlerFault::kNeverAnswers)},
      {{"exit-during-run", "C4.4", "the server exits before answering a /run"},
       HandlerOnly(HandlerFault::kExitDuringRun)},
  };
  // clang-format on
  return catalogue;
}

const Entry* Find(const std::string& name) {
  for (const auto& entry : Catalogue()) {
    if (entry.info.name == name) return &entry;
  }
  return nullptr;
}

using ow::EditDistance;

}  // namespace

std::vector<FaultInfo> AllFaults() {
  std::vector<FaultInfo> out;
  for (const auto& entry : Catalogue()) out.push_back(entry.info);
  return out;
}

std::string ListFaultsText() {
  size_t width = 0;
  for (const auto& entry : Catalogue()) width = std::max(width, entry.info.name.size());
  std::string out;
  for (const auto& entry : Catalogue()) {
    out += entry.info.name + std::string(width + 2 - entry.info.name.size(), ' ') + "[" +
           entry.info.section + "] " + entry.info.description + "\n";
  }
  return out;
}

std::string ClosestFaultName(const std::string& name) {
  std::string best;
  size_t best_distance = std::max<size_t>(2, name.size() / 3) + 1;
  for (const auto& entry : Catalogue()) {
    const std::string& candidate = entry.info.name;
    // A unique prefix or substring is a good guess too ("stub" -> "no-stub").
    const size_t distance = candidate.find(name) != std::string::npos && name.size() >= 4
                                ? 1
                                : EditDistance(name, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

ow::Status AddFaults(const std::vector<std::string>& names, Decorators* decorators) {
  for (const auto& name : names) {
    if (Find(name) == nullptr) {
      std::string message = "unknown fault '" + name + "'";
      const std::string guess = ClosestFaultName(name);
      if (!guess.empty()) message += ", did you mean '" + guess + "'?";
      return ow::Status::Error(message + " (--list-faults lists them)");
    }
  }
  for (const auto& name : names) Find(name)->apply(decorators);
  return ow::Status::Ok();
}

ow::Status ExtractFaultArgs(int argc, char** argv, FaultArgs* args, std::vector<char*>* rest) {
  const std::string kFault = "--fault";
  rest->clear();
  if (argc > 0) rest->push_back(argv[0]);
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--list-faults") {
      args->list = true;
    } else if (arg == kFault) {
      if (i + 1 >= argc) return ow::Status::Error("--fault needs a fault name (see --list-faults)");
      args->names.push_back(argv[++i]);
    } else if (arg.rfind(kFault + "=", 0) == 0) {
      args->names.push_back(arg.substr(kFault.size() + 1));
    } else {
      if (arg == "-h" || arg == "--help") args->help = true;
      rest->push_back(argv[i]);
    }
  }
  return ow::Status::Ok();
}

std::string FaultOptionsHelp() {
  return "\n Fault injection (for testing the conformance suite):\n"
         "      --fault NAME      break one contract rule on purpose (repeatable)\n"
         "      --list-faults     list the faults and exit\n";
}

}  // namespace rr::faults
