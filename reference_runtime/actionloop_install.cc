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

int HighestNumberedDir(const std::string& base) {
  int highest = 0;
  boost::system::error_code error;
  for (fs::directory_iterator it(base, error), end; !error && it != end; it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || name.size() > 9 ||
        name.find_first_not_of("0123456789") != std::string::npos)
      continue;
    highest = std::max(highest, std::stoi(name));
  }
  return highest;
}

Status WriteExecutable(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out || chmod(path.c_str(), 0755) != 0)
    return Status::Error("cannot write " + path + ": " + std::strerror(errno));
  return Status::Ok();
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

ActionLoopInstaller::ActionLoopInstaller(std::string base_dir, std::string compiler,
                                         uint64_t max_archive_bytes, Executor* compile_runner)
    : base_dir_(std::move(base_dir)),
      compiler_(std::move(compiler)),
      max_archive_bytes_(max_archive_bytes),
      compile_runner_(compile_runner) {}

Status ActionLoopInstaller::Prepare() {
  boost::system::error_code error;
  fs::create_directories(base_dir_, error);
  if (error || !fs::is_directory(base_dir_))
    return Status::Error("cannot create the action directory " + base_dir_);
  return Status::Ok();
}

void ActionLoopInstaller::Install(const std::string& code, const std::string& main,
                                  std::vector<std::string> env, Done done) {
  Result result;
  result.action_dir = base_dir_ + "/" + std::to_string(HighestNumberedDir(base_dir_) + 1);
  const std::string src = result.action_dir + "/src";
  result.bin_dir = result.action_dir + "/bin";
  boost::system::error_code error;
  fs::create_directories(src, error);
  if (error) {
    result.status = Status::Error("cannot create " + src + ": " + error.message());
  } else if (LooksLikeZip(code)) {
    result.status = ExtractZipArchive(code, src, max_archive_bytes_);
  } else if (LooksLikeGzip(code)) {
    result.status = ExtractTarGzArchive(code, src, max_archive_bytes_);
  } else {
    result.status = WriteExecutable(src + "/exec", code);
  }
  if (!result.status.ok() || compiler_.empty() || IsRunnable(src + "/exec")) {
    if (result.status.ok()) fs::rename(src, result.bin_dir, error);
    if (error) result.status = Status::Error("cannot move " + src + ": " + error.message());
    done(std::move(result));
    return;
  }
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
  boost::system::error_code ignored;
  fs::remove_all(dir, ignored);
}

}  // namespace rr
