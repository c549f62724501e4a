#!/usr/bin/env python3
"""The HTML report, checked in a real browser (headless Chromium).

Runs `mock_invoker check` against reference_runtime with faults injected, so
the run has passes, failures, warnings, skips and errors, writing both
--json and --html. Then opens the HTML report in headless Chromium:
  - --dump-dom: the counts the page shows (after its script ran) must equal
    the JSON report's totals, every scenario of the JSON report must be on
    the page with its outcome, and the outcome filter must work
    (report.html#outcome=fail,error shows exactly those scenarios);
  - --screenshot: a PNG of the page, checked to be a real, non-blank image.
Exit 0 pass, 1 fail, 77 skip (no chromium, unless OW_REQUIRE_BROWSER=1).
"""
import argparse
import html.parser
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

SKIP = 77


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class Page(html.parser.HTMLParser):
    """What the dumped DOM shows: counts, scenarios (outcome, hidden), shown."""

    def __init__(self):
        super().__init__()
        self.counts = {}
        self.scenarios = {}  # id -> (outcome, hidden)
        self.groups_hidden = {}
        self.script_ready = False
        self.verdict = None
        self._capture = None
        self.shown = None
        self.external = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "body" and a.get("data-script") == "ready":
            self.script_ready = True
        if "data-count" in a:
            self._capture = ("count", a["data-count"])
        elif a.get("id") == "shown":
            self._capture = ("shown", None)
        elif a.get("id") == "verdict":
            self._capture = ("verdict", None)
        if tag == "details" and "scenario" in a.get("class", "").split():
            self.scenarios[a["id"]] = (a.get("data-outcome"), "hidden" in a)
        if tag == "section" and "group" in a.get("class", "").split():
            self.groups_hidden[a.get("data-section")] = "hidden" in a
        for key in ("src", "href"):
            if key in a and a[key] and not a[key].startswith("#"):
                self.external.append((tag, a[key]))
        if tag == "link":
            self.external.append((tag, a.get("href")))

    def handle_data(self, data):
        if self._capture is None:
            return
        kind, key = self._capture
        text = data.strip()
        if kind == "count":
            self.counts[key] = int(text)
        elif kind == "shown":
            self.shown = int(text)
        else:
            self.verdict = text
        self._capture = None


def chromium_args(chromium, profile_dir):
    return [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-extensions", "--disable-background-networking", "--disable-sync",
            "--user-data-dir=" + profile_dir]


def dump_dom(chromium, profile_dir, url):
    out = subprocess.run(chromium_args(chromium, profile_dir) + ["--dump-dom", url],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=120,
                         check=True)
    page = Page()
    page.feed(out.stdout.decode("utf-8"))
    return page


def png_facts(path):
    """Width, height and the number of distinct pixel rows of an 8-bit PNG."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise AssertionError("screenshot is not a PNG")
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = len(raw) // height
    rows = {raw[i * stride + 1:(i + 1) * stride] for i in range(height)}
    return width, height, len(rows)


def expect(condition, message, failures):
    if not condition:
        failures.append(message)


def run_check(args, work):
    runtime = (args.runtime + " --host 127.0.0.1 --port {port} --action-dir {dir}"
               + "".join(" --fault " + f for f in args.fault))
    report_json = os.path.join(work, "report.json")
    report_html = os.path.join(work, "report.html")
    cmd = [args.mock_invoker, "check", "--launch", runtime, "--profile", args.profile,
           "--jobs", "2", "--json", report_json, "--html", report_html, "--color", "never"]
    for f in args.filter:
        cmd += ["--filter", f]
    done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
    if done.returncode not in (0, 1):
        sys.stderr.write(done.stdout.decode() + done.stderr.decode())
        raise AssertionError("check exited %d" % done.returncode)
    return json.load(open(report_json)), report_html


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mock-invoker", required=True)
    parser.add_argument("--runtime", required=True)
    parser.add_argument("--profile", default="skeleton")
    parser.add_argument("--fault", action="append", default=[])
    parser.add_argument("--filter", action="append", default=[])
    parser.add_argument("--screenshot", help="also keep the screenshot here")
    args = parser.parse_args()

    chromium = find_chromium()
    if chromium is None:
        if os.environ.get("OW_REQUIRE_BROWSER") == "1":
            print("FAIL: no chromium, and OW_REQUIRE_BROWSER=1 (run ci/deps.sh)")
            return 1
        print("SKIP: no chromium on PATH (ci/deps.sh installs it)")
        return SKIP

    failures = []
    with tempfile.TemporaryDirectory(prefix="html_report_") as work:
        report, report_html = run_check(args, work)
        totals = report["totals"]
        outcomes = {s["id"]: s["outcome"] for s in report["scenarios"]}
        kinds = set(outcomes.values())
        expect(len(kinds) >= 3, "the run should mix outcomes, got %s" % sorted(kinds), failures)
        url = "file://" + report_html
        profile_dir = os.path.join(work, "chromium")

        page = dump_dom(chromium, profile_dir, url)
        expect(page.script_ready, "the page's script did not run", failures)
        expect(not page.external, "the page refers to outside resources: %s" % page.external,
               failures)
        for key in ("scenarios", "passed", "failed", "errored", "warned", "skipped",
                    "expected_failures"):
            expect(page.counts.get(key) == totals[key],
                   "page shows %s=%s, JSON says %s" % (key, page.counts.get(key), totals[key]),
                   failures)
        expect(page.verdict is not None and
               page.verdict.lower().replace(" ", "-").startswith(report["verdict"]),
               "page verdict %r, JSON %r" % (page.verdict, report["verdict"]), failures)
        shown_outcomes = {k: v[0] for k, v in page.scenarios.items()}
        expect(shown_outcomes == outcomes, "scenarios on the page differ from the JSON report",
               failures)
        expect(page.shown == len(outcomes), "shown %s of %d" % (page.shown, len(outcomes)),
               failures)

        wanted = {"fail", "error"}
        filtered = dump_dom(chromium, profile_dir, url + "#outcome=fail,error")
        visible = {k for k, (_, hidden) in filtered.scenarios.items() if not hidden}
        expected_visible = {k for k, o in outcomes.items() if o in wanted}
        expect(visible == expected_visible,
               "filter fail,error shows %s, expected %s" % (sorted(visible),
                                                            sorted(expected_visible)), failures)
        expect(filtered.shown == len(expected_visible),
               "filtered 'shown' count %s, expected %d" % (filtered.shown, len(expected_visible)),
               failures)

        shot = os.path.join(work, "report.png")
        subprocess.run(chromium_args(chromium, profile_dir) +
                       ["--screenshot=" + shot, "--window-size=1280,1600",
                        "--hide-scrollbars", url],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120,
                       check=True)
        width, height, distinct_rows = png_facts(shot)
        expect((width, height) == (1280, 1600), "screenshot is %dx%d" % (width, height), failures)
        expect(distinct_rows > 50, "screenshot looks blank (%d distinct rows)" % distinct_rows,
               failures)
        size = os.path.getsize(report_html)
        print("html report: %d bytes, %d scenarios; screenshot %dx%d, %d bytes" %
              (size, len(outcomes), width, height, os.path.getsize(shot)))
        print("counts: %s" % json.dumps(totals))
        if args.screenshot:
            shutil.copyfile(shot, args.screenshot)

    for f in failures:
        print("FAIL: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
