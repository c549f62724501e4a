// /init's file work in --actionloop mode, as the Go proxy does it
// (openwhisk/extractor.go, initHandler.go ExtractAndCompile, compiler.go,
// actionProxy.go StartLatestAction's exec.env check).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "reference_runtime/action_store.h"
#include "reference_runtime/executor.h"

namespace rr {

// The code goes through the store (actionloop_store.h: a fresh <N>/src
// holding src/exec or the extracted zip or tar.gz; filetype.go IsZip / IsGz
// decide which). Then, if there is no compiler or src/exec is already
// runnable (an ELF binary or a `#!` script, filetype.go IsExecutable), src
// is renamed to bin; otherwise `compiler main src bin` runs with PATH plus
// the proxy environment, and any output of it (stdout and stderr) or a
// non-zero exit is the error, as compiler.go's CombinedOutput rule. bin/exec
// must exist afterwards ("cannot compile").
class ActionLoopInstaller {
 public:
  struct Result {
    ow::Status status;
    std::string action_dir;  // <base>/<N>: removed by the caller on a later failure
    std::string bin_dir;     // <base>/<N>/bin
    // The failure's text is the compiler's own output (the action's text,
    // logged as lines), not a reason made of outside bytes (escaped).
    bool compiler_output = false;
    bool needs_compile = false;  // placed in src, to be compiled into bin
  };
  using Done = std::function<void(Result)>;

  // `store` (maybe decorated) places the code; `compile_runner` runs the
  // compiler (a process-per-run Executor). Both outlive the installer.
  ActionLoopInstaller(ActionStore* store, std::string compiler, Executor* compile_runner);

  // Places the code through the store and, when nothing needs compiling,
  // moves src to bin. File system work only: may run off the event loop
  // (while no other Place or Compile runs).
  Result Place(const std::string& code) const;
  // Runs the compiler on a placed action that needs it (event loop); else
  // hands `placed` on as it is. `env` is the proxy environment ("K=V")
  // handed to the compiler with PATH.
  void Compile(Result placed, const std::string& main, std::vector<std::string> env, Done done);

 private:
  ActionStore* store_;
  std::string compiler_;
  Executor* compile_runner_;
};

// actionProxy.go: with OW_EXECUTION_ENV set, bin/exec.env (trimmed) must
// equal it. A mismatch also prints "Expected exec.env should start with ..."
// to `notice` (the Go proxy prints it to stdout).
ow::Status CheckExecutionEnv(const std::string& bin_dir, const std::string& expected,
                             std::string* notice);

// Removes a directory tree (failed actions), ignoring errors; "" is a no-op.
void RemoveActionDir(const std::string& dir);

}  // namespace rr
