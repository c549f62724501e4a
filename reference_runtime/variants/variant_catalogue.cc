#include "reference_runtime/variants/variant_catalogue.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <utility>

#include "reference_runtime/variants/tolerant_parts.h"

namespace rr::variants {

namespace {

using Apply = std::function<void(Decorators*)>;

Apply OnHandler(Variant v) {
  return [v](Decorators* d) {
    auto writer = std::make_shared<LogWriter*>(nullptr);
    ComposeDecorator<LogWriter>(&d->logs, [writer](std::unique_ptr<LogWriter> logs) {
      *writer = logs.get();
      return logs;
    });
    ComposeDecorator<Handler>(&d->handler, [v, writer](std::unique_ptr<Handler> inner) {
      return std::make_unique<TolerantHandler>(std::move(inner), v, *writer);
    });
  };
}

Apply OnLogs(Variant v) {
  return [v](Decorators* d) {
    ComposeDecorator<LogWriter>(&d->logs, [v](std::unique_ptr<LogWriter> inner) {
      return std::make_unique<TolerantLogWriter>(std::move(inner), v);
    });
  };
}

struct Entry {
  VariantInfo info;
  Apply apply;
};

const std::vector<Entry>& Catalogue() {
  // clang-format off
  static const std::vector<Entry> catalogue = {
      {{"result-trailing-newline", "Go actionloop proxy (runHandler.go writes the line with its \\n), Flask jsonify",
        "a newline after each /run result body"}, OnHandler(Variant::kResultTrailingNewline)},
      {{"spaced-result", "Python launcher (json.dumps)", "results with a space after ':' and ','"},
       OnHandler(Variant::kSpacedResult)},
      {{"unicode-escaped", "Docker skeleton (flask.jsonify, ensure_ascii)", "non-ASCII in results as \\uXXXX escapes"},
       OnHandler(Variant::kUnicodeEscaped)},
      {{"init-ok-text", "Docker skeleton (return ('OK', 200))", "a successful /init answers the text OK (text/html)"},
       OnHandler(Variant::kInitOkText)},
      {{"init-ok-upper", "Node.js (responseMessage(200, {OK: true}))", "a successful /init answers {\"OK\":true}"},
       OnHandler(Variant::kInitOkUpper)},
      {{"init-ok-newline", "Go actionloop proxy (sendOK)", "a successful /init answers {\"ok\":true} and a newline"},
       OnHandler(Variant::kInitOkNewline)},
      {{"json-charset", "Node.js (express res.json)", "Content-Type application/json; charset=utf-8"},
       OnHandler(Variant::kJsonCharset)},
      {{"rejected-400", "Go actionloop proxy (400 command exited)", "a rejected result is answered 400 instead of 502"},
       OnHandler(Variant::kRejected400)},
      {{"rejected-older-text", "Node.js (service.js runCode)", "a rejected result says 'The action did not return a dictionary.'"},
       OnHandler(Variant::kRejectedOlderText)},
      {{"non-object-403", "Node.js (service.js runCode)", "a non-object value is refused 403 without sentinels"},
       OnHandler(Variant::kNonObject403)},
      {{"failed-init-400", "Go actionloop proxy (initHandler.go)", "a failed /init is answered 400 instead of 502"},
       OnHandler(Variant::kFailedInit400)},
      {{"refuse-overlap", "Node.js without __OW_ALLOW_CONCURRENT", "a /run during another is refused 403, with a diagnostic line on stderr and no sentinel"},
       OnHandler(Variant::kRefuseOverlap)},
      {{"diagnostic-timestamp", "Go actionloop proxy (log.Println)", "the runtime's own stderr lines carry a timestamp prefix"},
       OnLogs(Variant::kDiagnosticTimestamp)},
      {{"diagnostic-internal-error", "Node.js (console.error('Internal system error:', msg))", "the runtime's own stderr lines carry 'Internal system error: '"},
       OnLogs(Variant::kDiagnosticInternal)},
      {{"stdout-then-stderr", "Docker skeleton (communicate(), then stdout, then stderr)", "an activation's stdout lines, then its stderr lines, at its end"},
       OnLogs(Variant::kStdoutThenStderr)},
      {{"spaced-argument", "Docker skeleton (json.dumps(args))", "the action's argument as JSON with spaces; argv judged on that text"},
       [](Decorators* d) {
         ComposeDecorator<Executor>(&d->executor, [](std::unique_ptr<Executor> inner) {
           return std::make_unique<SpacedArgumentExecutor>(std::move(inner));
         });
       }},
      {{"empty-result-null", "Python on the Go proxy (main returning None)", "an action with no output is answered 200 null"},
       [](Decorators* d) {
         ComposeDecorator<ResultInterpreter>(&d->results, [](std::unique_ptr<ResultInterpreter> inner) {
           return std::make_unique<NullForEmptyResult>(std::move(inner));
         });
       }},
  };
  // clang-format on
  return catalogue;
}

const Entry* Find(const std::string& name) {
  for (const auto& entry : Catalogue()) {
    if (entry.info.name == name) return &entry;
  }
  return nullptr;
}

}  // namespace

std::vector<VariantInfo> AllVariants() {
  std::vector<VariantInfo> out;
  for (const auto& entry : Catalogue()) out.push_back(entry.info);
  return out;
}

std::string ListVariantsText() {
  size_t width = 0;
  for (const auto& entry : Catalogue()) width = std::max(width, entry.info.name.size());
  std::string out;
  for (const auto& e : Catalogue()) {
    out += e.info.name + std::string(width + 2 - e.info.name.size(), ' ') + e.info.description +
           " (" + e.info.seen_in + ")\n";
  }
  return out;
}

ow::Status AddVariants(const std::vector<std::string>& names, Decorators* decorators) {
  for (const auto& name : names) {
    if (Find(name) == nullptr) {
      return ow::Status::Error("unknown variant '" + name + "' (--list-variants lists them)");
    }
  }
  for (const auto& name : names) Find(name)->apply(decorators);
  return ow::Status::Ok();
}

ow::Status ExtractVariantArgs(std::vector<char*>* args, VariantArgs* out) {
  const std::string kVariant = "--variant";
  std::vector<char*> rest;
  for (size_t i = 0; i < args->size(); ++i) {
    const std::string arg = (*args)[i];
    if (i > 0 && arg == "--list-variants") {
      out->list = true;
    } else if (i > 0 && arg == kVariant) {
      if (i + 1 >= args->size())
        return ow::Status::Error("--variant needs a name (see --list-variants)");
      out->names.push_back((*args)[++i]);
    } else if (i > 0 && arg.rfind(kVariant + "=", 0) == 0) {
      out->names.push_back(arg.substr(kVariant.size() + 1));
    } else {
      rest.push_back((*args)[i]);
    }
  }
  *args = std::move(rest);
  return ow::Status::Ok();
}

std::string VariantOptionsHelp() {
  return "\n Tolerance variants (for testing the conformance suite):\n"
         "      --variant NAME    behave as a real runtime does where the platform allows it "
         "(repeatable)\n"
         "      --list-variants   list the variants and exit\n";
}

}  // namespace rr::variants
