#include "reference_runtime/faults/exec_faults.h"

#include <optional>
#include <set>
#include <utility>

namespace rr::faults {

namespace {

std::string NameOf(const std::string& entry) { return entry.substr(0, entry.find('=')); }

// Keeps the first stdout line back; once the action ends, that line becomes
// the result and the real last line goes to the log in its place.
class FirstLineLog : public ActivationLog {
 public:
  explicit FirstLineLog(ActivationLog* inner) : inner_(inner) {}

  void Line(LogStream stream, std::string_view line) override {
    if (stream == LogStream::kStdout && !first_) {
      first_ = std::string(line);
      return;
    }
    inner_->Line(stream, line);
  }
  void Finish(bool, std::function<void()>) override {}  // the executor never finishes logs

  void Swap(ExecOutcome* outcome) {
    if (!first_) return;
    if (outcome->has_result_line) inner_->Line(LogStream::kStdout, outcome->result_line);
    outcome->has_result_line = true;
    outcome->result_line_overlong = false;
    outcome->result_line = std::move(*first_);
  }

 private:
  ActivationLog* inner_;
  std::optional<std::string> first_;
};

}  // namespace

FaultyExecutor::FaultyExecutor(std::unique_ptr<Executor> inner, ExecFault fault)
    : inner_(std::move(inner)), fault_(fault) {}

void FaultyExecutor::LeakContext(ActivationSpec* spec) {
  std::set<std::string> present;
  for (const auto& entry : spec->env) present.insert(NameOf(entry));
  // What this run sets wins; what earlier runs set and this one lacks leaks in.
  for (const auto& entry : remembered_context_) {
    if (present.insert(NameOf(entry)).second) spec->env.push_back(entry);
  }
  for (const auto& entry : spec->env) {
    if (entry.rfind("__OW_", 0) != 0) continue;
    bool replaced = false;
    for (auto& old : remembered_context_) {
      if (NameOf(old) == NameOf(entry)) {
        old = entry;
        replaced = true;
      }
    }
    if (!replaced) remembered_context_.push_back(entry);
  }
}

void FaultyExecutor::Run(ActivationSpec spec, ActivationLog* log,
                         std::shared_ptr<Cancellation> cancellation, ExecDone done) {
  switch (fault_) {
    case ExecFault::kStdinOnly:
      spec.argv.resize(1);
      break;
    case ExecFault::kArgvOnly:
      if (spec.argv.size() > 1) spec.stdin_bytes.clear();
      break;
    case ExecFault::kTruncateLarge:
      if (spec.stdin_bytes.size() > kTruncatedArgumentBytes) {
        spec.stdin_bytes.resize(kTruncatedArgumentBytes);
        if (spec.argv.size() > 1) spec.argv[1] = spec.stdin_bytes;
      }
      break;
    case ExecFault::kWrongWorkingDir:
      spec.cwd = "/";
      break;
    case ExecFault::kContextLeak:
      LeakContext(&spec);
      break;
    case ExecFault::kWaitForOutputEof: {
      // Like the Docker skeleton's communicate(): the action's stdout goes
      // through `cat`, which ends only when every holder of the pipe (a
      // background child too) has closed it, and the action's process is
      // the shell that waits for `cat`.
      std::vector<std::string> argv = {"/bin/sh", "-c", "\"$0\" \"$@\" | cat"};
      argv.insert(argv.end(), spec.argv.begin(), spec.argv.end());
      spec.executable = "/bin/sh";
      spec.argv = std::move(argv);
      break;
    }
    case ExecFault::kFirstLineResult: {
      auto first_line_log = std::make_shared<FirstLineLog>(log);
      inner_->Run(std::move(spec), first_line_log.get(), std::move(cancellation),
                  [first_line_log, done = std::move(done)](ExecOutcome outcome) {
                    first_line_log->Swap(&outcome);
                    done(std::move(outcome));
                  });
      return;
    }
  }
  inner_->Run(std::move(spec), log, std::move(cancellation), std::move(done));
}

}  // namespace rr::faults
