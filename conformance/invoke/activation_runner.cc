// ActivationRunner: see activation_runner.h.
#include "conformance/invoke/activation_runner.h"

#include <algorithm>
#include <utility>

#include "conformance/platform/platform_exchange.h"

namespace conformance {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

double fractional_ms(steady_clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

}  // namespace

ActivationRunner::ActivationRunner(RuntimeTarget* target, HttpTransport* transport, Clock* clock,
                                   InvokeSettings settings)
    : target_(target), transport_(transport), clock_(clock), settings_(std::move(settings)) {}

ActivationRunner::~ActivationRunner() { stop(); }

void ActivationRunner::stop() {
  if (instance_) instance_->stop();
  instance_.reset();
  initialized_ = false;
}

std::vector<std::string> ActivationRunner::take_notes() {
  std::vector<std::string> out;
  out.swap(notes_);
  return out;
}

void ActivationRunner::note_once(const std::string& note) {
  if (std::find(noted_.begin(), noted_.end(), note) != noted_.end()) return;
  noted_.push_back(note);
  notes_.push_back(note);
}

HttpResult ActivationRunner::send_init(const std::string& body) {
  HttpRequest request;
  request.path = "/init";
  request.body = body;
  request.max_body_bytes = settings_.max_response_bytes;
  return send_init_retrying(transport_, clock_, instance_.get(), std::move(request),
                            settings_.limit, settings_.init_retry_interval);
}

std::vector<std::string> ActivationRunner::collect_logs(const LogMark& mark, bool expect_sentinels,
                                                        const std::string& when) {
  LogCapture* logs = instance_ ? instance_->logs() : nullptr;
  if (!logs) {
    note_once(
        "no logs: the runtime's log stream is not available with this target "
        "(use --launch or --image, or --url with --logs-from)");
    return {};
  }
  // Real time: the capture is fed by reader threads.
  const auto wait = sentinel_wait(settings_.limit, settings_.sentinel_wait);
  if (expect_sentinels) {
    if (!logs->wait_for_sentinels(mark, 1, steady_clock::now() + wait)) {
      note_once("the runtime wrote no sentinel on stdout and stderr within " +
                std::to_string(wait.count()) + " ms after /run (C3.7): logs may be incomplete");
    }
  } else {
    // After a failed exchange a sentinel may never come: take what is there.
    logs->wait_quiet(milliseconds(100), steady_clock::now() + std::min(wait, milliseconds(500)));
  }
  std::vector<std::string> out =
      format_activation_logs(logs->lines_since(mark), when, settings_.log_limit_bytes);
  // A shared capture (--url with --logs-from) must not grow run after run.
  logs->forget_before(logs->mark());
  return out;
}

ow::Status ActivationRunner::invoke(ActivationRecord* record) {
  ActivationRecord rec;
  rec.name = settings_.code.name;
  rec.limit = settings_.limit;
  rec.log_limit_bytes = settings_.log_limit_bytes;
  const Clock::time_point waiting_since = clock_->now();
  if (instance_ && instance_->exited() && target_->fresh_instances()) {
    stop();  // the runtime died since the last activation: the platform replaces it
  }
  if (!instance_) {
    ow::Status s = target_->start(settings_.start, &instance_);
    if (!s.ok()) {
      instance_.reset();
      return s;
    }
    ++instances_started_;
    initialized_ = false;
  }
  rec.wait_time_ms =
      std::chrono::duration_cast<milliseconds>(clock_->now() - waiting_since).count();
  rec.wait_ms = fractional_ms(clock_->now() - waiting_since);
  LogCapture* logs = instance_->logs();
  const LogMark mark = logs ? logs->mark() : LogMark{};
  rec.start_ms = epoch_ms_now();

  // One activation, one context: /init's env and /run share its ids.
  rec.context = make_activation_context(settings_.code.name, settings_.limit);
  if (!initialized_) {
    const Clock::time_point init_start = clock_->now();
    const HttpResult init = send_init(
        build_init_body(settings_.code, settings_.main_name, settings_.init_params, rec.context));
    rec.init_time_ms = std::chrono::duration_cast<milliseconds>(clock_->now() - init_start).count();
    rec.init_ms = fractional_ms(clock_->now() - init_start);
    std::optional<ActivationResponse> failed =
        map_init_response(init, settings_.limit, settings_.max_response_bytes);
    if (failed) {
      rec.response = std::move(*failed);
      rec.end_ms = epoch_ms_now();
      // An init the runtime itself refused writes one sentinel per stream (C2.9).
      const bool refused_by_runtime = init.ok() && init.response.status != 200;
      rec.logs = collect_logs(mark, refused_by_runtime, iso_time(rec.end_ms));
      stop();  // C4.5
      *record = std::move(rec);
      return ow::Status::Ok();
    }
    initialized_ = true;
  }

  // The run phase has its own time limit: its deadline counts from now.
  rec.context.deadline_ms = epoch_ms_now() + settings_.limit.count();
  HttpRequest run;
  run.path = "/run";
  run.body = build_run_body(settings_.value, rec.context);
  run.timeout = at_least_1ms(settings_.limit);
  run.max_body_bytes = settings_.max_response_bytes;
  const Clock::time_point run_start = clock_->now();
  const HttpResult result = transport_->send(instance_->base_url(), run);
  rec.run_ms = fractional_ms(clock_->now() - run_start);
  rec.response = map_run_response(result, settings_.limit, settings_.max_response_bytes);
  rec.end_ms = epoch_ms_now();
  rec.logs = collect_logs(mark, result.ok(), iso_time(rec.end_ms));

  if (rec.response.destroys_container()) {
    if (target_->fresh_instances()) {
      stop();  // C4.5: the next activation is cold
    } else {
      note_once(
          "the platform would destroy this container now (C4.5); with --url the same "
          "runtime is kept");
    }
  }
  *record = std::move(rec);
  return ow::Status::Ok();
}

}  // namespace conformance
