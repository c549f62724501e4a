// The HTML report's stylesheet and script, inlined into every report so the
// page needs nothing from the network (a CI artifact opens offline, and a
// Content-Security-Policy forbids any fetch).
#pragma once

namespace conformance {
namespace html_assets {

extern const char kStyle[];
// Filtering by outcome (checkboxes, and "#outcome=fail,error" in the URL),
// the "shown N of M" count, expand/collapse all. Without script the page
// shows every scenario.
extern const char kScript[];

}  // namespace html_assets
}  // namespace conformance
