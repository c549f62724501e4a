// The scenario catalogue's version, for reports.
#pragma once

#include <string>

#include "common/status.h"

namespace conformance {

// "fnv1a64:<16 hex digits>" over the names and bytes of the *.json files
// under `dir` (not the directory they are in), so two runs with the same
// version ran the same checks.
ow::Status catalogue_digest(const std::string& dir, std::string* digest);

}  // namespace conformance
