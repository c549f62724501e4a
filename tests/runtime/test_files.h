// Small file helpers for runtime tests: unique temp dirs, read/write files.
#pragma once

#include <string>

#include "tests/support/temp_dir.h"

namespace rr_test {

// A fresh directory under the system temp dir, removed on destruction.
using TempDir = testing_support::TempDir;

std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& content, unsigned mode = 0644);
// Permission bits (& 07777) of `path`, or -1.
int FileMode(const std::string& path);
std::string Base64(const std::string& bytes);

}  // namespace rr_test
