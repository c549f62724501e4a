// The JUnit report against Jenkins' junit-10.xsd constraints
// (fixtures/junit/junit-10.xsd, see its header for where it comes from),
// validated with libxml2's XML Schema support, for every shape of run.
#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include <cstdarg>
#include <cstdio>
#include <memory>
#include <string>

#include "conformance/report/junit_reporter.h"
#include "conformance/report/run_summary.h"
#include "tests/reports/sample_report.h"

namespace conformance_test {
namespace {

using conformance::Outcome;
using conformance::RunReport;
using conformance::ScenarioResult;

// Collects libxml2's validation messages instead of printing them.
void collect(void* context, const char* format, ...) {
  char buffer[1024];
  va_list args;
  va_start(args, format);
  std::vsnprintf(buffer, sizeof buffer, format, args);
  va_end(args);
  *static_cast<std::string*>(context) += buffer;
}

// "" when `xml` is valid against the schema, else libxml2's complaints.
std::string schema_errors(const std::string& xml) {
  const std::string xsd = std::string(JUNIT_XSD_PATH);
  std::string errors;
  xmlSchemaParserCtxtPtr parser = xmlSchemaNewParserCtxt(xsd.c_str());
  xmlSchemaPtr schema = parser ? xmlSchemaParse(parser) : nullptr;
  if (schema == nullptr) {
    if (parser) xmlSchemaFreeParserCtxt(parser);
    return "cannot load " + xsd;
  }
  xmlDocPtr doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "junit.xml", nullptr,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc == nullptr) {
    errors = "not well-formed";
  } else {
    xmlSchemaValidCtxtPtr validator = xmlSchemaNewValidCtxt(schema);
    xmlSchemaSetValidErrors(validator, collect, collect, &errors);
    if (xmlSchemaValidateDoc(validator, doc) != 0 && errors.empty()) errors = "invalid";
    xmlSchemaFreeValidCtxt(validator);
    xmlFreeDoc(doc);
  }
  xmlSchemaFree(schema);
  xmlSchemaFreeParserCtxt(parser);
  return errors;
}

TEST(JunitSchemaTest, SampleReportIsValid) {
  EXPECT_EQ(schema_errors(conformance::render_junit(sample_report())), "");
}

TEST(JunitSchemaTest, StrictEmptyAndNotReadyRunsAreValid) {
  RunReport strict = sample_report();
  strict.strict = true;
  EXPECT_EQ(schema_errors(conformance::render_junit(strict)), "");
  EXPECT_EQ(schema_errors(conformance::render_junit(RunReport{})), "");
  RunReport not_ready;
  ScenarioResult r;
  r.id = "init.text-code";
  r.outcome = Outcome::kError;
  r.runtime_not_ready = true;
  not_ready.scenarios.push_back(r);
  not_ready.duration_ms = 1234567.891;  // a long run: the time stays a plain number
  EXPECT_EQ(schema_errors(conformance::render_junit(not_ready)), "");
}

// The schema really holds Jenkins' rules: the documents it rejects.
TEST(JunitSchemaTest, SchemaRejectsWhatJenkinsRejects) {
  const std::string valid = conformance::render_junit(sample_report());
  ASSERT_EQ(schema_errors(valid), "");
  const auto with = [&valid](const std::string& from, const std::string& to) {
    std::string xml = valid;
    const std::size_t at = xml.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return at == std::string::npos ? valid : xml.replace(at, from.size(), to);
  };
  // The bug this schema was brought in for: skipped= on <testsuites>.
  EXPECT_NE(schema_errors(with("<testsuites name=", "<testsuites skipped=\"1\" name=")), "");
  EXPECT_NE(schema_errors(with("<testsuite name=\"openwhisk-runtime-conformance\" tests=\"6\"",
                               "<testsuite name=\"openwhisk-runtime-conformance\"")),
            "");  // tests= is required on <testsuite>
  EXPECT_NE(schema_errors(with("time=\"1.234\"", "time=\"1.2e3\"")), "");
  EXPECT_NE(schema_errors(with("<testcase classname", "<testcase bogus=\"1\" classname")), "");
}

// Console, JSON and JUnit count failed and errored the same way.
TEST(JunitSchemaTest, FailuresAndErrorsAreTheSummaryCounts) {
  for (bool strict : {false, true}) {
    RunReport report = sample_report();
    report.strict = strict;
    const conformance::RunSummary s = conformance::summarize(report);
    const std::string xml = conformance::render_junit(report);
    const std::string counts = "tests=\"" + std::to_string(s.total) + "\" failures=\"" +
                               std::to_string(s.failed) + "\" errors=\"" +
                               std::to_string(s.errored) + "\"";
    EXPECT_NE(xml.find("<testsuites name=\"openwhisk-runtime-conformance\" " + counts),
              std::string::npos)
        << xml;
    EXPECT_NE(
        xml.find("<testsuite name=\"openwhisk-runtime-conformance\" " + counts + " skipped=\"" +
                 std::to_string(s.skipped + s.warned + s.expected_failures) + "\""),
        std::string::npos)
        << xml;
  }
}

}  // namespace
}  // namespace conformance_test
