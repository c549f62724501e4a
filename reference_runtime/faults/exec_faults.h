// Faults on seam (b), the executor: what the action process is given
// (argument, environment, working directory) and which line is the result.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "reference_runtime/executor.h"

namespace rr::faults {

enum class ExecFault {
  kStdinOnly,         // C3.1: the argument is never in argv
  kArgvOnly,          // C3.1: stdin is empty when the argument is in argv
  kTruncateLarge,     // C3.1/C3.10: arguments past kTruncatedArgumentBytes are cut
  kWrongWorkingDir,   // C3.8: the action runs in "/" instead of the action dir
  kContextLeak,       // C3.3: __OW_* of earlier runs stay in later runs
  kFirstLineResult,   // C3.4: the result is the first stdout line, not the last
  kWaitForOutputEof,  // C4.2: the answer waits until nothing holds the action's stdout open
};

// Where kTruncateLarge cuts the argument (argv and stdin alike).
inline constexpr size_t kTruncatedArgumentBytes = 65536;

// Wraps an Executor (owned): alters each ActivationSpec, or (first-line
// result) the split between log lines and result, then delegates. Same
// thread rules as the inner executor (one event loop).
class FaultyExecutor : public Executor {
 public:
  FaultyExecutor(std::unique_ptr<Executor> inner, ExecFault fault);

  void Run(ActivationSpec spec, ActivationLog* log, std::shared_ptr<Cancellation> cancellation,
           ExecDone done) override;
  void KillAll() override { inner_->KillAll(); }
  size_t running() const override { return inner_->running(); }

 private:
  void LeakContext(ActivationSpec* spec);

  std::unique_ptr<Executor> inner_;
  ExecFault fault_;
  std::vector<std::string> remembered_context_;  // kContextLeak: "__OW_K=V" seen so far
};

}  // namespace rr::faults
