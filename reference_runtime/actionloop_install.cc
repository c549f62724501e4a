#include "reference_runtime/actionloop_install.h"

#include <sys/stat.h>

#include <boost/algorithm/string/trim.hpp>
#include <boost/filesystem.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "reference_runtime/action_archive.h"

namespace rr {

namespace fs = boost::filesystem;
using ow::Status;

namespace {

bool StartsWith(const std::string& bytes, std::initializer_list<unsigned char> magic) {
  if (bytes.size() < magic.size()) return false;
  size_t index = 0;
  for (unsigned char byte : magic) {
    if (static_cast<unsigned char>(bytes[index++]) != byte) return false;
  }
  return true;
}

// filetype.go IsExecutable on linux: an ELF file or a `#!` script.
bool IsRunnable(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char head[53] = {};
  in.read(head, sizeof(head));
  const std::string bytes(head, static_cast<size_t>(in.gcount()));
  return (bytes.size() > 52 && StartsWith(bytes, {0x7f, 'E', 'L', 'F'})) ||
         (bytes.size() > 2 && StartsWith(bytes, {'#', '!'}));
}

// Collects a compiler's output (both streams) as one text.
class OutputCollector : public ActivationLog {
 public:
  void Line(LogStream, std::string_view line) override {
    text.append(line);
    text.push_back('\n');
  }
  void Finish(bool, std::function<void()> written) override {
    if (written) written();
  }
  std::string text;
};

}  // namespace

ActionLoopInstaller::ActionLoopInstaller(ActionStore* store, std::string compiler,
                                         Executor* compile_runner)
    : store_(store), compiler_(std::move(compiler)), compile_runner_(compile_runner) {}

ActionLoopInstaller::Result ActionLoopInstaller::Place(const std::string& code) const {
  Result result;
  const bool archive = LooksLikeZip(code) || LooksLikeGzip(code);
  result.status = archive ? store_->InstallArchive(code) : store_->InstallText(code);
  const std::string src = store_->directory();
  // The store names <N>/src even when it failed; anything else is not ours.
  const std::string suffix = "/src";
  if (src.size() > suffix.size() &&
      src.compare(src.size() - suffix.size(), suffix.size(), suffix) == 0) {
    result.action_dir = src.substr(0, src.size() - suffix.size());
  } else if (result.status.ok()) {
    result.status = Status::Error("the action store placed the code outside a numbered directory");
  }
  result.bin_dir = result.action_dir + "/bin";
  if (!result.status.ok()) return result;
  boost::system::error_code error;
  if (compiler_.empty() || IsRunnable(src + "/exec")) {
    fs::rename(src, result.bin_dir, error);
    if (error) result.status = Status::Error("cannot move " + src + ": " + error.message());
    return result;
  }
  result.needs_compile = true;
  return result;
}

void ActionLoopInstaller::Compile(Result result, const std::string& main,
                                  std::vector<std::string> env, Done done) {
  if (!result.status.ok() || !result.needs_compile) {
    done(std::move(result));
    return;
  }
  const std::string src = result.action_dir + "/src";
  boost::system::error_code error;
  fs::create_directory(result.bin_dir, error);
  ActivationSpec spec;
  spec.executable = compiler_;
  spec.argv = {compiler_, main, src, result.bin_dir};
  spec.cwd = result.action_dir;
  const char* path = std::getenv("PATH");
  spec.env.push_back(std::string("PATH=") + (path ? path : ""));
  for (auto& entry : env) spec.env.push_back(std::move(entry));
  auto output = std::make_shared<OutputCollector>();
  compile_runner_->Run(
      std::move(spec), output.get(), nullptr,
      [output, result, done = std::move(done)](ExecOutcome outcome) mutable {
        if (outcome.has_result_line) output->Line(LogStream::kStdout, outcome.result_line);
        if (outcome.end == ExecOutcome::End::kSpawnFailed) {
          result.status = Status::Error(outcome.error);
        } else if (!output->text.empty()) {
          result.status = Status::Error(output->text);
          result.compiler_output = true;
        } else if (outcome.exit_code != 0) {
          result.status =
              Status::Error(outcome.term_signal != 0
                                ? "compiler killed by signal " + std::to_string(outcome.term_signal)
                                : "exit status " + std::to_string(outcome.exit_code));
        } else if (!fs::exists(result.bin_dir + "/exec")) {
          result.status = Status::Error("cannot compile");
        }
        done(std::move(result));
      });
}

Status CheckExecutionEnv(const std::string& bin_dir, const std::string& expected,
                         std::string* notice) {
  if (expected.empty()) return Status::Ok();
  const std::string file = bin_dir + "/exec.env";
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status::Error("open " + file + ": " + std::strerror(errno));
  std::stringstream content;
  content << in.rdbuf();
  std::string actual = content.str();
  if (boost::algorithm::trim_copy(actual) == expected) return Status::Ok();
  *notice = "Expected exec.env should start with " + expected + "\nActual value: " + actual;
  return Status::Error("Execution environment version mismatch. See logs for details.");
}

void RemoveActionDir(const std::string& dir) {
  if (dir.empty()) return;
  boost::system::error_code ignored;
  fs::remove_all(dir, ignored);
}

}  // namespace rr
