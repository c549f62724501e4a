// Target factories: see targets.h.
#include "conformance/platform/targets.h"

#include "conformance/platform/image_target.h"
#include "conformance/platform/launch_target.h"
#include "conformance/platform/url_target.h"

namespace conformance {

std::unique_ptr<RuntimeTarget> make_launch_target(std::string command_template) {
  return std::make_unique<LaunchTarget>(std::move(command_template));
}

std::unique_ptr<RuntimeTarget> make_image_target(std::string image) {
  return std::make_unique<ImageTarget>(std::move(image));
}

std::unique_ptr<RuntimeTarget> make_url_target(std::string url, std::string logs_from_cmd) {
  return std::make_unique<UrlTarget>(std::move(url), std::move(logs_from_cmd));
}

}  // namespace conformance
