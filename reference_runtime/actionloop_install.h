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
#include "reference_runtime/executor.h"

namespace rr {

// Each /init gets a fresh numbered directory <base>/<N> (N one above the
// highest there): the code goes to <N>/src/exec (text), or an archive is
// extracted into <N>/src. Then, if there is no compiler or src/exec is
// already runnable (an ELF binary or a `#!` script, filetype.go
// IsExecutable), src is renamed to bin; otherwise `compiler main src bin` runs
// with PATH plus the proxy environment, and any output of it (stdout and
// stderr) or a non-zero exit is the error, as compiler.go's CombinedOutput
// rule. bin/exec must exist afterwards ("cannot compile"). A tar.gz is
// extracted like a zip (action_archive.h), as tar.go's UnTar does.
class ActionLoopInstaller {
 public:
  struct Result {
    ow::Status status;
    std::string action_dir;  // <base>/<N>: removed by the caller on a later failure
    std::string bin_dir;     // <base>/<N>/bin
  };
  using Done = std::function<void(Result)>;

  // `compile_runner` runs the compiler (a process-per-run Executor).
  ActionLoopInstaller(std::string base_dir, std::string compiler, uint64_t max_archive_bytes,
                      Executor* compile_runner);

  ow::Status Prepare();  // creates the base directory
  // `env` is the proxy environment ("K=V") handed to the compiler with PATH.
  void Install(const std::string& code, const std::string& main, std::vector<std::string> env,
               Done done);

 private:
  std::string base_dir_;
  std::string compiler_;
  uint64_t max_archive_bytes_;
  Executor* compile_runner_;
};

// actionProxy.go: with OW_EXECUTION_ENV set, bin/exec.env (trimmed) must
// equal it. A mismatch also prints "Expected exec.env should start with ..."
// to `notice` (the Go proxy prints it to stdout).
ow::Status CheckExecutionEnv(const std::string& bin_dir, const std::string& expected,
                             std::string* notice);

// Removes a directory tree (failed actions), ignoring errors.
void RemoveActionDir(const std::string& dir);

}  // namespace rr
