// The JUnit report, read back with a real XML parser (libxml2): structure,
// counts, attributes, and well-formedness under hostile runtime output.
#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <memory>
#include <string>
#include <vector>

#include "conformance/report/junit_reporter.h"
#include "tests/reports/sample_report.h"

namespace conformance_test {
namespace {

using conformance::Outcome;
using conformance::RunReport;
using conformance::ScenarioResult;

struct DocFree {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using Doc = std::unique_ptr<xmlDoc, DocFree>;

// Parses strictly: any well-formedness error yields null.
Doc parse(const std::string& xml) {
  return Doc(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "junit.xml", nullptr,
                           XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
}

std::string name_of(const xmlNode* node) { return reinterpret_cast<const char*>(node->name); }

std::vector<xmlNode*> children(const xmlNode* parent, const std::string& name) {
  std::vector<xmlNode*> found;
  for (xmlNode* n = parent->children; n != nullptr; n = n->next) {
    if (n->type == XML_ELEMENT_NODE && (name.empty() || name_of(n) == name)) found.push_back(n);
  }
  return found;
}

std::string attribute(xmlNode* node, const char* name) {
  xmlChar* value = xmlGetProp(node, reinterpret_cast<const xmlChar*>(name));
  if (value == nullptr) return "<absent>";
  std::string result(reinterpret_cast<char*>(value));
  xmlFree(value);
  return result;
}

std::string text_of(xmlNode* node) {
  xmlChar* value = xmlNodeGetContent(node);
  std::string result = value == nullptr ? "" : reinterpret_cast<char*>(value);
  xmlFree(value);
  return result;
}

std::size_t count_elements(const xmlNode* node, const std::string& name) {
  std::size_t count = 0;
  for (xmlNode* n = node->children; n != nullptr; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    if (name_of(n) == name) ++count;
    count += count_elements(n, name);
  }
  return count;
}

xmlNode* testcase_named(xmlNode* suite, const std::string& id) {
  for (xmlNode* tc : children(suite, "testcase")) {
    if (attribute(tc, "name") == id) return tc;
  }
  return nullptr;
}

xmlNode* only_suite(xmlDoc* doc) {
  xmlNode* root = xmlDocGetRootElement(doc);
  EXPECT_EQ(name_of(root), "testsuites");
  const auto suites = children(root, "testsuite");
  EXPECT_EQ(suites.size(), 1u);
  return suites.empty() ? nullptr : suites[0];
}

// Guards the tests below: the parser really rejects what they must not see.
TEST(JunitXmlTest, ParserRejectsIllFormedXml) {
  EXPECT_EQ(parse("<a>\x01</a>"), nullptr);
  EXPECT_EQ(parse("<a>]]></a>"), nullptr);
  EXPECT_EQ(parse("<a>\xFF</a>"), nullptr);
  EXPECT_EQ(parse("<a b=\"<\"/>"), nullptr);
  EXPECT_NE(parse("<a>ok</a>"), nullptr);
}

TEST(JunitXmlTest, StructureCountsAndAttributes) {
  const Doc doc = parse(conformance::render_junit(sample_report()));
  ASSERT_NE(doc, nullptr);
  xmlNode* root = xmlDocGetRootElement(doc.get());
  xmlNode* suite = only_suite(doc.get());
  ASSERT_NE(suite, nullptr);
  for (xmlNode* n : {root, suite}) {
    EXPECT_EQ(attribute(n, "tests"), "6");
    EXPECT_EQ(attribute(n, "failures"), "1");
    EXPECT_EQ(attribute(n, "errors"), "1");
    EXPECT_EQ(attribute(n, "time"), "1.234");
  }
  // The skip, the warning and the expected failure; junit-10.xsd allows
  // skipped= on <testsuite> only.
  EXPECT_EQ(attribute(suite, "skipped"), "3");
  EXPECT_EQ(attribute(root, "skipped"), "<absent>");
  EXPECT_EQ(attribute(suite, "name"), "openwhisk-runtime-conformance");
  EXPECT_EQ(attribute(suite, "timestamp"), "2026-01-02T03:04:05Z");
  // The counts agree with the elements actually present.
  EXPECT_EQ(children(suite, "testcase").size(), 6u);
  EXPECT_EQ(count_elements(suite, "failure"), 1u);
  EXPECT_EQ(count_elements(suite, "error"), 1u);
  EXPECT_EQ(count_elements(suite, "skipped"), 3u);

  xmlNode* pass = testcase_named(suite, "init.text-code");
  ASSERT_NE(pass, nullptr);
  EXPECT_EQ(attribute(pass, "classname"), "conformance.C2");
  EXPECT_EQ(attribute(pass, "time"), "0.012");
  EXPECT_TRUE(children(pass, "").empty());

  xmlNode* fail = testcase_named(suite, "init.second-refused");
  ASSERT_NE(fail, nullptr);
  const auto failures = children(fail, "failure");
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(attribute(failures[0], "type"), "fail");
  EXPECT_EQ(attribute(failures[0], "message"), "init#2 status: expected 403, got 200");
  EXPECT_NE(text_of(failures[0]).find("expected: 403"), std::string::npos);
  ASSERT_EQ(children(fail, "system-out").size(), 1u);
  EXPECT_NE(text_of(children(fail, "system-out")[0]).find("__OW_API_KEY=***"), std::string::npos);

  xmlNode* warn = testcase_named(suite, "run.scalar-argument");
  ASSERT_NE(warn, nullptr);
  EXPECT_EQ(attribute(warn, "classname"), "conformance.C3");
  EXPECT_TRUE(children(warn, "failure").empty());
  // Visible on dashboards (not green), without failing the build.
  const auto warning = children(warn, "skipped");
  ASSERT_EQ(warning.size(), 1u);
  EXPECT_EQ(attribute(warning[0], "type"), "warning");
  EXPECT_EQ(attribute(warning[0], "message"),
            "warning (should-level rule broken): status: expected 404, got 200");
  EXPECT_NE(text_of(warning[0]).find("expected: 404"), std::string::npos);

  xmlNode* skip = testcase_named(suite, "init.stub");
  ASSERT_NE(skip, nullptr);
  ASSERT_EQ(children(skip, "skipped").size(), 1u);
  EXPECT_EQ(attribute(children(skip, "skipped")[0], "message"), "profile lacks capability 'stub'");
  EXPECT_EQ(attribute(children(skip, "skipped")[0], "type"), "skip");

  xmlNode* error = testcase_named(suite, "run.sentinels");
  ASSERT_NE(error, nullptr);
  ASSERT_EQ(children(error, "error").size(), 1u);
  EXPECT_EQ(attribute(children(error, "error")[0], "type"), "error");

  xmlNode* expected = testcase_named(suite, "run.concurrent-isolated");
  ASSERT_NE(expected, nullptr);
  ASSERT_EQ(children(expected, "skipped").size(), 1u);
  EXPECT_EQ(attribute(children(expected, "skipped")[0], "message").rfind("expected failure", 0),
            0u);
  EXPECT_EQ(attribute(children(expected, "skipped")[0], "type"), "expected-failure");
}

TEST(JunitXmlTest, UnderStrictAWarnIsAFailure) {
  RunReport report = sample_report();
  report.strict = true;
  const Doc doc = parse(conformance::render_junit(report));
  ASSERT_NE(doc, nullptr);
  xmlNode* suite = only_suite(doc.get());
  ASSERT_NE(suite, nullptr);
  EXPECT_EQ(attribute(suite, "failures"), "2");
  xmlNode* warn = testcase_named(suite, "run.scalar-argument");
  ASSERT_NE(warn, nullptr);
  ASSERT_EQ(children(warn, "failure").size(), 1u);
  EXPECT_EQ(attribute(children(warn, "failure")[0], "type"), "warn-strict");
}

TEST(JunitXmlTest, RuntimeNeverReadyIsAnErrorOfItsOwnType) {
  RunReport report;
  ScenarioResult r;
  r.id = "init.text-code";
  r.section = "C2.2";
  r.outcome = Outcome::kError;
  r.runtime_not_ready = true;
  r.message = "runtime never became ready";
  report.scenarios.push_back(r);
  const Doc doc = parse(conformance::render_junit(report));
  ASSERT_NE(doc, nullptr);
  xmlNode* suite = only_suite(doc.get());
  ASSERT_NE(suite, nullptr);
  EXPECT_EQ(attribute(suite, "errors"), "1");
  const auto errors = children(children(suite, "testcase")[0], "error");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(attribute(errors[0], "type"), "runtime-not-ready");
  EXPECT_EQ(attribute(errors[0], "message"), "runtime never became ready");
}

TEST(JunitXmlTest, EmptyRunIsWellFormed) {
  const Doc doc = parse(conformance::render_junit(RunReport{}));
  ASSERT_NE(doc, nullptr);
  xmlNode* suite = only_suite(doc.get());
  ASSERT_NE(suite, nullptr);
  EXPECT_EQ(attribute(suite, "tests"), "0");
  EXPECT_TRUE(children(suite, "testcase").empty());
}

TEST(JunitXmlTest, HostileTextStaysWellFormedAndRoundTrips) {
  const std::string fffd = "\xEF\xBF\xBD";
  RunReport report;
  report.target = "url: http://127.0.0.1:1/?a=1&b=\"2\"";
  ScenarioResult r;
  r.id = "run.weird\"<id>&'";
  r.section = "C3.4";
  r.outcome = Outcome::kFail;
  r.message = "got \"<b>\" & 'x'\ttab\nline2\r\x01\x1b[31m";
  r.expectations.push_back({"run", "body", false, "]]>", "</failure><x>"});
  r.runtime_logs = std::string("ctl:\x01\x02\x0b\x0c\x1b[2J nul:") + '\0' +
                   " cdata-end:]]> close:</system-out> amp:& bad:\xFF\xC3(" +
                   " nonchar:\xEF\xBF\xBE emoji:\xF0\x9F\x98\x80 api_key=hunter2\n";
  report.scenarios.push_back(r);

  const std::string xml = conformance::render_junit(report);
  const Doc doc = parse(xml);
  ASSERT_NE(doc, nullptr) << xml;
  EXPECT_EQ(xml.find("hunter2"), std::string::npos);

  xmlNode* suite = only_suite(doc.get());
  ASSERT_NE(suite, nullptr);
  const auto cases = children(suite, "testcase");
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(attribute(cases[0], "name"), "run.weird\"<id>&'");
  const auto failures = children(cases[0], "failure");
  ASSERT_EQ(failures.size(), 1u);
  // Tab, newline and \r survive as character references; other controls are dropped.
  EXPECT_EQ(attribute(failures[0], "message"), "got \"<b>\" & 'x'\ttab\nline2\r[31m");
  EXPECT_NE(text_of(failures[0]).find("expected: ]]>"), std::string::npos);
  EXPECT_NE(text_of(failures[0]).find("actual:   </failure><x>"), std::string::npos);
  const auto out = children(cases[0], "system-out");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(text_of(out[0]),
            "runtime logs:\nctl:[2J nul: cdata-end:]]> close:</system-out> amp:& bad:" + fffd +
                fffd + "( nonchar: emoji:\xF0\x9F\x98\x80 api_key=***\n");
  xmlNode* properties = children(suite, "properties")[0];
  EXPECT_EQ(attribute(children(properties, "property")[1], "value"),
            "url: http://127.0.0.1:1/?a=1&b=\"2\"");
}

}  // namespace
}  // namespace conformance_test
