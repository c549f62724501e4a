#include "conformance/report/html_assets.h"

namespace conformance {
namespace html_assets {

const char kStyle[] = R"css(
:root { --pass: #1a7f37; --fail: #cf222e; --warn: #9a6700; --skip: #57606a; --error: #8250df;
  --line: #d0d7de; --soft: #f6f8fa; --text: #1f2328; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif;
  color: var(--text); background: #fff; }
header { padding: 16px 24px 12px; border-bottom: 1px solid var(--line); background: var(--soft); }
h1 { font-size: 20px; margin: 0 0 4px; }
.verdict { display: inline-block; font-weight: 700; padding: 2px 10px; border-radius: 4px; color: #fff; }
.verdict.conformant { background: var(--pass); }
.verdict.not-conformant { background: var(--fail); }
.verdict.runtime-not-ready { background: var(--error); }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: 0 12px; margin: 8px 0; }
.meta dt { color: #57606a; } .meta dd { margin: 0; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
.counts { display: flex; flex-wrap: wrap; gap: 8px; margin: 10px 0 6px; }
.counts .box { min-width: 96px; padding: 6px 12px; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
.counts .count { display: block; font-size: 22px; font-weight: 700; }
.counts .passed .count { color: var(--pass); } .counts .failed .count { color: var(--fail); }
.counts .errored .count { color: var(--error); } .counts .warned .count { color: var(--warn); }
.counts .skipped .count, .counts .expected_failures .count { color: var(--skip); }
.filters { display: flex; flex-wrap: wrap; gap: 14px; align-items: center; margin-top: 6px; }
.filters label { cursor: pointer; } .filters button { font: inherit; cursor: pointer; }
main { padding: 8px 24px 24px; }
.group h2 { font-size: 16px; margin: 18px 0 6px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
.group h2 .sub { font-weight: 400; color: #57606a; font-size: 13px; }
details.scenario { border: 1px solid var(--line); border-left-width: 4px; border-radius: 4px; margin: 4px 0; }
details.scenario > summary { padding: 4px 8px; cursor: pointer; list-style-position: inside; }
details.scenario[data-outcome=pass] { border-left-color: var(--pass); }
details.scenario[data-outcome=fail] { border-left-color: var(--fail); }
details.scenario[data-outcome=warn] { border-left-color: var(--warn); }
details.scenario[data-outcome=skip] { border-left-color: var(--skip); }
details.scenario[data-outcome=error] { border-left-color: var(--error); }
.tag { display: inline-block; width: 52px; text-align: center; font-size: 12px; font-weight: 700;
  border-radius: 3px; color: #fff; margin-right: 6px; }
.tag.pass { background: var(--pass); } .tag.fail { background: var(--fail); }
.tag.warn { background: var(--warn); } .tag.skip { background: var(--skip); } .tag.error { background: var(--error); }
.id { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-weight: 600; }
.dur, .xf { color: #57606a; font-size: 12px; margin-left: 6px; }
.xf { color: var(--warn); }
.detail { padding: 4px 12px 10px; border-top: 1px solid var(--line); }
.detail p { margin: 4px 0; }
.message { color: var(--fail); white-space: pre-wrap; }
table.expectations { border-collapse: collapse; margin: 6px 0; width: 100%; }
table.expectations th, table.expectations td { border: 1px solid var(--line); padding: 2px 6px;
  text-align: left; vertical-align: top; font-size: 13px; }
table.expectations td.v { font-family: ui-monospace, "DejaVu Sans Mono", monospace; white-space: pre-wrap; word-break: break-all; }
tr.failed td:first-child { color: var(--fail); font-weight: 700; } tr.ok td:first-child { color: var(--pass); }
details.step, details.logs { margin: 4px 0; }
details.step > summary, details.logs > summary { cursor: pointer; color: #0969da; }
.transcript { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; }
pre { margin: 4px 0; padding: 6px 8px; background: var(--soft); border: 1px solid var(--line); border-radius: 4px;
  font: 12px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; white-space: pre-wrap; word-break: break-all;
  max-height: 400px; overflow: auto; }
h4 { margin: 4px 0 0; font-size: 12px; color: #57606a; text-transform: uppercase; }
.none { color: #57606a; font-style: italic; }
table.coverage { border-collapse: collapse; } table.coverage td, table.coverage th { border: 1px solid var(--line); padding: 2px 8px; }
footer { padding: 8px 24px 24px; color: #57606a; font-size: 12px; }
[hidden] { display: none !important; }
)css";

const char kScript[] = R"js(
(function () {
  'use strict';
  var all = function (selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); };
  var scenarios = all('details.scenario');
  var groups = all('section.group');
  var boxes = all('.filters input[type=checkbox]');
  var shown = document.getElementById('shown');

  function chosen() {
    return boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
  }
  function apply() {
    var want = chosen();
    var count = 0;
    scenarios.forEach(function (s) {
      var on = want.indexOf(s.getAttribute('data-outcome')) >= 0;
      s.hidden = !on;
      if (on) count += 1;
    });
    groups.forEach(function (g) { g.hidden = !g.querySelector('details.scenario:not([hidden])'); });
    shown.textContent = String(count);
    try {
      history.replaceState(null, '', want.length === boxes.length ? '#' : '#outcome=' + want.join(','));
    } catch (e) { /* some viewers forbid it; the filter still works */ }
  }
  function fromHash() {
    var m = /outcome=([a-z,]*)/.exec(location.hash);
    if (!m) return;
    var want = m[1].split(',');
    boxes.forEach(function (b) { b.checked = want.indexOf(b.value) >= 0; });
  }
  function select(values) {
    boxes.forEach(function (b) { b.checked = values.indexOf(b.value) >= 0; });
    apply();
  }
  function expand(open) {
    all('details').forEach(function (d) { if (!d.closest('[hidden]')) d.open = open; });
  }
  boxes.forEach(function (b) { b.addEventListener('change', apply); });
  document.getElementById('show-all').addEventListener('click', function () {
    select(boxes.map(function (b) { return b.value; }));
  });
  document.getElementById('show-problems').addEventListener('click', function () {
    select(['fail', 'error', 'warn']);
  });
  document.getElementById('expand-all').addEventListener('click', function () { expand(true); });
  document.getElementById('collapse-all').addEventListener('click', function () { expand(false); });
  fromHash();
  apply();
  document.body.setAttribute('data-script', 'ready');
})();
)js";

}  // namespace html_assets
}  // namespace conformance
