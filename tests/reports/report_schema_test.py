#!/usr/bin/env python3
"""The JSON reports against docs/report.schema.json (Debian's python3-jsonschema).

1. The golden report (fixtures/report_goldens/report.json) is valid.
2. Broken copies of it are refused (so the schema really constrains).
3. A real `mock_invoker check --json` run and a real `bench --json` run (both
   against reference_runtime) are valid and share the header.
Exit 0 pass, 1 fail, 77 skip (no jsonschema module, unless OW_REQUIRE_BROWSER=1).
"""
import argparse
import copy
import json
import os
import subprocess
import sys
import tempfile

SKIP = 77

try:
    import jsonschema
except ImportError:
    jsonschema = None

HEADER = ("schema_version", "kind", "tool_version", "target", "started_at", "duration_ms")


def errors_of(validator, document):
    return sorted(e.message for e in validator.iter_errors(document))


def mutations(golden):
    """(what, broken document) pairs that the schema must refuse."""
    def changed(edit):
        doc = copy.deepcopy(golden)
        edit(doc)
        return doc
    yield "no totals", changed(lambda d: d.pop("totals"))
    yield "schema_version 2", changed(lambda d: d.update(schema_version=2))
    yield "unknown kind", changed(lambda d: d.update(kind="other"))
    yield "outcome 'passed'", changed(lambda d: d["scenarios"][0].update(outcome="passed"))
    yield "negative count", changed(lambda d: d["totals"].update(failed=-1))
    yield "unknown top-level key", changed(lambda d: d.update(surprise=True))
    yield "scenario without logs", changed(lambda d: d["scenarios"][0].pop("logs"))
    yield "capability not a string", changed(lambda d: d["capabilities"].update(stub=True))
    yield "bad catalogue version", changed(lambda d: d["catalogue"].update(version="v1"))
    yield "bad started_at", changed(lambda d: d.update(started_at="yesterday"))
    yield "verdict 'ok'", changed(lambda d: d.update(verdict="ok"))


def run(cmd):
    done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
    return done.returncode, done.stdout.decode() + done.stderr.decode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--schema", required=True)
    parser.add_argument("--golden", required=True)
    parser.add_argument("--mock-invoker", required=True)
    parser.add_argument("--runtime", required=True)
    args = parser.parse_args()
    if jsonschema is None:
        if os.environ.get("OW_REQUIRE_BROWSER") == "1":
            print("FAIL: python3-jsonschema missing (run ci/deps.sh)")
            return 1
        print("SKIP: python3-jsonschema missing (ci/deps.sh installs it)")
        return SKIP

    schema = json.load(open(args.schema))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    failures = []

    golden = json.load(open(args.golden))
    for e in errors_of(validator, golden):
        failures.append("golden report invalid: " + e)
    for what, broken in mutations(golden):
        if not errors_of(validator, broken):
            failures.append("schema accepts a broken report: " + what)

    launch = args.runtime + " --host 127.0.0.1 --port {port} --action-dir {dir}"
    with tempfile.TemporaryDirectory(prefix="report_schema_") as work:
        check_json = os.path.join(work, "check.json")
        code, out = run([args.mock_invoker, "check", "--launch", launch + " --fault no-stub",
                         "--filter", "init.*,run.*", "--jobs", "2", "--json", check_json])
        if code not in (0, 1):
            failures.append("check exited %d:\n%s" % (code, out))
        bench_json = os.path.join(work, "bench.json")
        action = os.path.join(work, "action.sh")
        with open(action, "w") as f:
            f.write('#!/bin/sh\necho \'{"ok":true}\'\n')
        os.chmod(action, 0o755)
        code, out = run([args.mock_invoker, "bench", action, "--launch", launch,
                         "--requests", "5", "--cold-starts", "1", "--json", bench_json])
        if code != 0:
            failures.append("bench exited %d:\n%s" % (code, out))
        reports = {}
        for kind, path in (("check", check_json), ("bench", bench_json)):
            if not os.path.exists(path):
                failures.append("%s wrote no JSON report" % kind)
                continue
            reports[kind] = json.load(open(path))
            for e in errors_of(validator, reports[kind]):
                failures.append("%s report invalid: %s" % (kind, e))
            if reports[kind].get("kind") != kind:
                failures.append("%s report has kind %r" % (kind, reports[kind].get("kind")))
        if len(reports) == 2:
            missing = [k for k in HEADER if k not in reports["bench"] or k not in reports["check"]]
            if missing:
                failures.append("header keys missing: %s" % missing)
            print("check: %s" % json.dumps(reports["check"]["totals"]))
            print("bench header: %s" % json.dumps({k: reports["bench"][k] for k in HEADER}))

    for f in failures:
        print("FAIL: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
