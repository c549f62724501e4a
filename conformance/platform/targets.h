// Factories for the three kinds of RuntimeTarget (see runtime_target.h,
// launch_target.h, image_target.h, url_target.h). They never fail: bad
// templates or URLs are reported by the target's start().
#pragma once

#include <memory>
#include <string>

#include "conformance/platform/runtime_target.h"

namespace conformance {

std::unique_ptr<RuntimeTarget> make_launch_target(std::string command_template);
std::unique_ptr<RuntimeTarget> make_image_target(std::string image);
// logs_from_cmd may be empty (no logs: log checks are skipped).
std::unique_ptr<RuntimeTarget> make_url_target(std::string url, std::string logs_from_cmd);

}  // namespace conformance
