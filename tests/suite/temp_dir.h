// The suite tests use the shared TempDir.
#pragma once

#include "tests/support/temp_dir.h"

namespace suite_test {
using TempDir = testing_support::TempDir;
}  // namespace suite_test
