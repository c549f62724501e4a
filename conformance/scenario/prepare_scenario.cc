// prepare_scenario (prepare_scenario.h): one ScenarioSpec applied to one Profile.
#include "conformance/scenario/prepare_scenario.h"

#include <chrono>

#include "conformance/platform/base64.h"
#include "conformance/platform/platform_request.h"
#include "conformance/platform/tar_builder.h"
#include "conformance/platform/zip_builder.h"
#include "conformance/scenario/expectations.h"
#include "conformance/scenario/placeholders.h"
#include "conformance/scenario/profile.h"
#include "conformance/scenario/scenario_spec.h"

namespace conformance {
namespace {

using nlohmann::json;

// Damage that leaves no readable zip: no end-of-central-directory record survives.
std::string damage_archive(const std::string& zip, const std::string& damage) {
  if (damage == "truncated") return zip.substr(0, zip.size() / 2);
  std::string out = zip;
  for (std::size_t i = out.size() / 2; i < out.size(); ++i) {
    out[i] = static_cast<char>(0x5a ^ (i & 0xff));
  }
  return out;
}

bool expects_exactly_200(const json& expect) {
  return expect.contains("status") && expect["status"] == 200;
}

ow::Status build_init(const StepSpec& step, const Profile& profile, std::string* body,
                      std::string* identity) {
  const json& r = step.request;
  if (r.contains("raw_body")) {
    *body = r["raw_body"].get<std::string>();
    *identity = "raw:" + fnv1a64_hex(*body);
    return ow::Status::Ok();
  }
  if (r.contains("body")) {
    json resolved;
    PlaceholderContext ctx;
    ctx.profile = &profile;
    ow::Status status = resolve_placeholders(r["body"], ctx, &resolved);
    if (!status.ok()) return status;
    *body = resolved.dump();
    *identity = "body:" + fnv1a64_hex(*body);
    return ow::Status::Ok();
  }
  const std::string role = r["action"].get<std::string>();
  RoleCode code;
  ow::Status status = build_role_code(profile, role, &code);
  if (!status.ok()) return status;
  *identity = role;
  if (r.contains("archive_entries")) {
    // Extra entries, named as given ("../escape.txt", "/abs.txt"): archives
    // a runtime must refuse rather than extract outside its action dir.
    if (!code.binary) {
      return ow::Status::Error("archive_entries needs an archive role; " + role + " is text");
    }
    std::vector<ZipEntry> entries;
    ow::Status read = read_zip(code.bytes, &entries);
    if (!read.ok()) return read;
    for (const auto& [name, text] : r["archive_entries"].items()) {
      entries.push_back(ZipEntry{name, text.get<std::string>(), 0644, name.front() == '/'});
      *identity += "|entry=" + name;
    }
    read = build_zip(entries, &code.bytes);
    if (!read.ok()) return read;
  }
  if (r.value("archive_format", "zip") == "tar.gz") {
    // The role's zip, repacked with the same names, bytes and modes.
    if (!code.binary) {
      return ow::Status::Error("archive_format needs an archive role; " + role + " is text");
    }
    std::vector<ZipEntry> entries;
    ow::Status read = read_zip(code.bytes, &entries);
    if (read.ok()) read = build_tar_gz(entries, &code.bytes);
    if (!read.ok()) return read;
    *identity += "|format=tar.gz";
  }
  if (r.contains("archive_damage")) {
    if (!code.binary) {
      return ow::Status::Error("archive_damage needs an archive role; " + role + " is text");
    }
    code.bytes = damage_archive(code.bytes, r["archive_damage"].get<std::string>());
    *identity += "|damage=" + r["archive_damage"].get<std::string>();
  }
  json value;
  value["name"] = r.value("name", role);
  value["main"] = r.value("main", "main");
  value["binary"] = r.contains("binary") ? r["binary"].get<bool>() : code.binary;
  value["code"] = code.binary ? base64_encode(code.bytes) : code.bytes;
  value["env"] = r.contains("env") ? r["env"] : json::object();
  if (r.contains("code")) {
    if (r["code"].is_null()) {
      value.erase("code");
    } else {
      value["code"] = r["code"];
    }
    *identity += "|code=" + (r["code"].is_null() ? std::string("absent")
                                                 : fnv1a64_hex(r["code"].get<std::string>()));
  }
  if (r.contains("binary"))
    *identity += std::string("|binary=") + (r["binary"].get<bool>() ? "true" : "false");
  *identity += "|main=" + value["main"].get<std::string>() + "|env=" + value["env"].dump();
  *body = json{{"value", value}}.dump();
  return ow::Status::Ok();
}

ow::Status build_run(const StepSpec& step, const Profile& profile, const std::string& role,
                     std::size_t index, std::string* body, json* sent) {
  const json& r = step.request;
  PlaceholderContext ctx;
  ctx.profile = &profile;
  ctx.index = index;
  if (r.contains("raw_body")) {
    *body = r["raw_body"].get<std::string>();
    *sent = json::parse(*body, nullptr, false);
    if (sent->is_discarded()) *sent = nullptr;
    return ow::Status::Ok();
  }
  if (r.contains("body")) {
    ow::Status status = resolve_placeholders(r["body"], ctx, sent);
    if (!status.ok()) return status;
    *body = sent->dump();
    return ow::Status::Ok();
  }
  json run;
  if (r.contains("value")) {
    ow::Status status = resolve_placeholders(r["value"], ctx, &run["value"]);
    if (!status.ok()) return status;
  } else {
    run["value"] = json::object();
  }
  // Bodies are prepared before the run starts, possibly minutes before this
  // step is sent; the margin keeps the deadline ahead of the step, so a
  // runtime that enforces it never cuts an action short.
  constexpr std::chrono::minutes kPreparedAheadMargin{30};
  ActivationContext activation =
      make_activation_context("conformance/" + (role.empty() ? std::string("action") : role),
                              step.timeout + kPreparedAheadMargin);
  activation.api_key = fake_api_key();
  const json fields = context_fields(activation);
  for (const auto& [key, value] : fields.items()) run[key] = value;
  if (r.contains("context")) {
    json context;
    ow::Status status = resolve_placeholders(r["context"], ctx, &context);
    if (!status.ok()) return status;
    for (const auto& [key, value] : context.items()) run[key] = value;
  }
  if (r.contains("omit")) {
    for (const json& key : r["omit"]) run.erase(key.get<std::string>());
  }
  *body = run.dump();
  *sent = std::move(run);
  return ow::Status::Ok();
}

ow::Status parse_step_expectations(const StepSpec& step, const Profile& profile,
                                   const std::vector<json>& sent, Expectations* out) {
  for (std::size_t i = 0; i < sent.size(); ++i) {
    PlaceholderContext ctx;
    ctx.profile = &profile;
    ctx.index = i;
    ctx.sent = &sent[i];
    json resolved;
    ow::Status status = resolve_placeholders(step.expect, ctx, &resolved);
    if (!status.ok()) return status;
    ResponseExpectation response;
    status = parse_response_expectation(resolved, &response);
    if (!status.ok()) return status;
    out->responses.push_back(std::move(response));
    if (i > 0) continue;
    if (resolved.contains("logs")) {
      status = parse_log_expectation(resolved["logs"], &out->logs);
      if (!status.ok()) return status;
    }
    if (resolved.contains("concurrency")) {
      json concurrency = resolved["concurrency"];
      if (concurrency.value("overlap", "") == "capability") {
        auto it = profile.capabilities.find("concurrency");
        bool known = false;
        if (it != profile.capabilities.end()) overlap_from_name(it->second, &known);
        concurrency["overlap"] = known ? it->second : "either";
      }
      status = parse_concurrency_expectation(concurrency, &out->concurrency);
      if (!status.ok()) return status;
    }
  }
  return ow::Status::Ok();
}

void set_log_waits(const StepSpec& spec, const Expectations& expect, PreparedStep* step) {
  const auto& out = expect.logs.out.sentinels;
  const auto& err = expect.logs.err.sentinels;
  if (out || err) {
    step->await_sentinels = std::max(out.value_or(0), err.value_or(0));
    step->await_quiet = step->await_sentinels == 0;
    return;
  }
  // Defaults: collect a run's lines up to its sentinels (so the next step
  // starts clean); after an init, wait for the logs to go quiet.
  if (spec.kind == StepKind::kInit) {
    step->await_quiet = true;
  } else {
    step->await_sentinels = spec.kind == StepKind::kConcurrentRuns ? spec.concurrency : 1;
  }
}

}  // namespace

ow::Status prepare_scenario(const ScenarioSpec& spec, const Profile& profile,
                            PreparedScenario* prepared) {
  PreparedScenario result;
  result.id = spec.id;
  result.title = spec.title;
  result.section = spec.section;
  result.requirement = spec.requirement;
  result.level = spec.level;
  result.needs_fresh_instance = spec.fresh;
  result.runtime_env = spec.runtime_env;
  std::string why;
  for (const std::string& need : spec.needs) {
    if (result.skip_reason.empty() && !capability_satisfied(profile, need, false, &why)) {
      result.skip_reason = why;
    }
  }
  for (const std::string& need : spec.needs_not) {
    if (result.skip_reason.empty() && !capability_satisfied(profile, need, true, &why)) {
      result.skip_reason = why;
    }
  }
  std::vector<std::string> uses = spec.uses;
  for (const StepSpec& step : spec.steps) {
    if (step.kind == StepKind::kInit && step.request.contains("action") &&
        !step.request.contains("body") && !step.request.contains("raw_body"))
      uses.push_back(step.request["action"].get<std::string>());
  }
  for (const std::string& use : uses) {
    if (result.skip_reason.empty() && !role_expressible(profile, use, &why)) {
      result.skip_reason = why;
    }
  }
  if (!result.skip_reason.empty()) {
    // Not run: the profile need not provide its roles.
    *prepared = std::move(result);
    return ow::Status::Ok();
  }
  std::string role;  // of the latest init: names the action in run contexts
  for (const StepSpec& step_spec : spec.steps) {
    const std::string where = spec.file + " (" + spec.id + ") step " + step_spec.name + ": ";
    PreparedStep step;
    step.name = step_spec.name;
    step.kind = step_spec.kind;
    step.path = step_spec.kind == StepKind::kInit ? "/init" : "/run";
    step.timeout = step_spec.timeout;
    std::vector<json> sent;
    ow::Status status;
    if (step_spec.kind == StepKind::kInit) {
      std::string body, identity;
      status = build_init(step_spec, profile, &body, &identity);
      if (!status.ok()) return ow::Status::Error(where + status.message());
      if (step_spec.request.contains("action"))
        role = step_spec.request["action"].get<std::string>();
      if (expects_exactly_200(step_spec.expect)) step.init_identity = identity;
      step.bodies.push_back(std::move(body));
      sent.push_back(json::object());
    } else {
      for (std::size_t i = 0; i < step_spec.concurrency; ++i) {
        std::string body;
        json sent_body;
        status = build_run(step_spec, profile, role, i, &body, &sent_body);
        if (!status.ok()) return ow::Status::Error(where + status.message());
        step.bodies.push_back(std::move(body));
        sent.push_back(std::move(sent_body));
      }
    }
    auto expect = std::make_shared<Expectations>();
    status = parse_step_expectations(step_spec, profile, sent, expect.get());
    if (!status.ok()) return ow::Status::Error(where + status.message());
    set_log_waits(step_spec, *expect, &step);
    if (expect->logs.any() || !expect->concurrency.log_marker.empty()) result.needs_logs = true;
    step.expect = std::move(expect);
    result.steps.push_back(std::move(step));
  }
  *prepared = std::move(result);
  return ow::Status::Ok();
}

}  // namespace conformance
