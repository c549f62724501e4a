// Writing a finished report file (the file reporters), and checking before a
// run that it will be writable (mock_invoker check).
#pragma once

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <system_error>

#include "common/status.h"
#include "conformance/report/reporter.h"

namespace conformance {

// Writes `contents` to `path` through a temporary file renamed into place, so
// a reader (a CI report step) never sees half a report, and a failed write
// leaves any previous report untouched.
inline ow::Status write_report_file(const std::string& path, const std::string& contents) {
  const std::string temporary = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) {
      return ow::Status::Error("cannot write report '" + path + "': " + std::strerror(errno));
    }
    out << contents;
    out.flush();
    if (!out) {
      const std::string reason = std::strerror(errno);
      out.close();
      std::remove(temporary.c_str());
      return ow::Status::Error("cannot write report '" + path + "': " + reason);
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    std::remove(temporary.c_str());
    return ow::Status::Error("cannot write report '" + path + "': " + reason);
  }
  return ow::Status::Ok();
}

// Whether write_report_file(path) can succeed, found by doing what it does:
// creating the temporary file beside `path` (then removing it). A directory,
// a missing parent or a read-only place gives the reason. Leaves an existing
// report at `path` untouched.
inline ow::Status probe_report_path(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return ow::Status::Error("cannot write report '" + path + "': it is a directory");
  }
  const std::string temporary = path + ".tmp." + std::to_string(::getpid());
  std::ofstream probe(temporary, std::ios::binary | std::ios::trunc);
  if (!probe) {
    return ow::Status::Error("cannot write report '" + path + "': " + std::strerror(errno));
  }
  probe.close();
  std::remove(temporary.c_str());
  return ow::Status::Ok();
}

// Reporter::on_finish cannot return a Status: a failed write is said on
// stderr, where the person or CI log running the check will see it.
inline void write_report_or_complain(const std::string& path, const std::string& contents) {
  const ow::Status written = write_report_file(path, contents);
  if (!written.ok()) std::cerr << "error: " << written.message() << "\n";
}

// The file reporters (JSON, JUnit, HTML, Markdown): each renders the finished
// run with its own function and writes it to its path; nothing in between.
inline std::unique_ptr<Reporter> make_rendering_file_reporter(
    std::string path, std::function<std::string(const RunReport&)> render) {
  class RenderingFileReporter : public Reporter {
   public:
    RenderingFileReporter(std::string path, std::function<std::string(const RunReport&)> render)
        : path_(std::move(path)), render_(std::move(render)) {}
    void on_finish(const RunReport& report) override {
      write_report_or_complain(path_, render_(report));
    }

   private:
    const std::string path_;
    const std::function<std::string(const RunReport&)> render_;
  };
  return std::make_unique<RenderingFileReporter>(std::move(path), std::move(render));
}

}  // namespace conformance
