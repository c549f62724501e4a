// redact_secrets and the text helpers the reporters share.
#include "conformance/report/redaction.h"

#include <gtest/gtest.h>

#include <string>

#include "conformance/report/printable_text.h"

namespace conformance_test {
namespace {

using conformance::redact_secrets;
namespace text = conformance::printable_text;

TEST(RedactSecretsTest, JsonValue) {
  EXPECT_EQ(redact_secrets(R"({"value":{},"api_key":"uuid:key","namespace":"guest"})"),
            R"({"value":{},"api_key":"***","namespace":"guest"})");
}

TEST(RedactSecretsTest, PasswordsSecretsAndTokensToo) {
  EXPECT_EQ(redact_secrets(R"({"db_password":"hunter2","user":"me"})"),
            R"({"db_password":"***","user":"me"})");
  EXPECT_EQ(redact_secrets("GITHUB_TOKEN=ghp_abc123 next"), "GITHUB_TOKEN=*** next");
  EXPECT_EQ(redact_secrets("client_secret: s3cr3t"), "client_secret: ***");
  EXPECT_EQ(redact_secrets(R"({"PASSWD":"x"})"), R"({"PASSWD":"***"})");
}

TEST(RedactSecretsTest, WordsThatOnlyContainAKeyStayVisible) {
  const std::string text = R"({"tokens":3,"secretary":"Ann","token_type":"bearer"})";
  EXPECT_EQ(redact_secrets(text), text);
}

TEST(RedactSecretsTest, UrlPassword) {
  EXPECT_EQ(redact_secrets("--url http://admin:pa55@127.0.0.1:8080/x"),
            "--url http://admin:***@127.0.0.1:8080/x");
  EXPECT_EQ(redact_secrets("a https://u:p@h and ftp://v:q@k"),
            "a https://u:***@h and ftp://v:***@k");
  const std::string no_password = "http://127.0.0.1:8080/run and mailto:a@b";
  EXPECT_EQ(redact_secrets(no_password), no_password);
  EXPECT_EQ(redact_secrets("http://user@host/"), "http://user@host/");
}

TEST(RedactSecretsTest, JsonValueKeepsAnySpacing) {
  EXPECT_EQ(redact_secrets(R"({"api_key" :  "k1", "x": 1})"), R"({"api_key" :  "***", "x": 1})");
  EXPECT_EQ(redact_secrets("{\n  \"api_key\":\n    \"k1\"\n}"),
            "{\n  \"api_key\":\n    \"***\"\n}");
  EXPECT_EQ(redact_secrets("{\"api_key\"\t:\t\"k1\"}"), "{\"api_key\"\t:\t\"***\"}");
}

TEST(RedactSecretsTest, JsonValueWithEscapedQuote) {
  EXPECT_EQ(redact_secrets(R"({"api_key":"a\"b\\","next":"visible"})"),
            R"({"api_key":"***","next":"visible"})");
}

TEST(RedactSecretsTest, EveryOccurrence) {
  EXPECT_EQ(redact_secrets(R"([{"api_key":"one"},{"api_key":"two"}])"),
            R"([{"api_key":"***"},{"api_key":"***"}])");
}

TEST(RedactSecretsTest, OwApiKeyAsJsonKey) {
  // The init body's env carries the activation context too (C2 body, C3.3).
  EXPECT_EQ(redact_secrets(R"({"env":{"__OW_API_KEY":"k1","__OW_NAMESPACE":"ns"}})"),
            R"({"env":{"__OW_API_KEY":"***","__OW_NAMESPACE":"ns"}})");
}

TEST(RedactSecretsTest, JsonInsideAJsonString) {
  EXPECT_EQ(redact_secrets(R"(log: "{\"api_key\":\"k1\",\"a\":1}")"),
            R"(log: "{\"api_key\":\"***\",\"a\":1}")");
}

TEST(RedactSecretsTest, PythonStyleQuotes) {
  EXPECT_EQ(redact_secrets("{'api_key': 'k1', 'a': 1}"), "{'api_key': '***', 'a': 1}");
}

TEST(RedactSecretsTest, EnvStyle) {
  EXPECT_EQ(redact_secrets("__OW_API_KEY=uuid:key\n__OW_NAMESPACE=guest\n"),
            "__OW_API_KEY=***\n__OW_NAMESPACE=guest\n");
  EXPECT_EQ(redact_secrets("env: __OW_API_KEY=uuid:key PATH=/bin"),
            "env: __OW_API_KEY=*** PATH=/bin");
  EXPECT_EQ(redact_secrets("export __OW_API_KEY=\"uuid key\"; next"),
            "export __OW_API_KEY=\"***\"; next");
}

TEST(RedactSecretsTest, BareKeyValue) {
  EXPECT_EQ(redact_secrets("api_key: uuid:key"), "api_key: ***");
  EXPECT_EQ(redact_secrets("api_key:uuid:key, namespace: guest"), "api_key:***, namespace: guest");
  EXPECT_EQ(redact_secrets("API_KEY = 'k1'"), "API_KEY = '***'");
  EXPECT_EQ(redact_secrets("GET /x?api_key=k1&b=2"), "GET /x?api_key=***&b=2");
}

TEST(RedactSecretsTest, ValueCutShortByElisionIsHiddenToTheEndOfLine) {
  EXPECT_EQ(redact_secrets("{\"api_key\":\"23bc46b1-71f6... (elided)\nnext"),
            "{\"api_key\":\"***\nnext");
}

TEST(RedactSecretsTest, LeavesOtherTextAlone) {
  for (const std::string& s :
       {std::string(""), std::string("no secrets here"), std::string("api_keys: 3"),
        std::string("api_key_id=7"), std::string("the api_key"), std::string("api_key"),
        std::string(R"({"api_key":""})"), std::string(R"({"api_key": null})"),
        std::string(R"({"apikey":"x"})"), std::string("api_key:"), std::string("\"api_key\"")}) {
    EXPECT_EQ(redact_secrets(s), s);
  }
}

TEST(RedactSecretsTest, TheSecretNeverSurvivesAnyFormat) {
  const std::string secret = "s3cr3t-value";
  for (const char* format :
       {"{\"api_key\":\"S\"}", "{\"api_key\" : \"S\"}", "__OW_API_KEY=S", "api_key: S", "api_key=S",
        "\\\"api_key\\\":\\\"S\\\"", "'api_key':'S'", "Api_Key: S", "{\"__ow_api_key\":\"S\"}",
        "x api_key:S,y", "{\"api_key\":\"S"}) {
    std::string text = format;
    text.replace(text.find('S'), 1, secret);
    EXPECT_EQ(redact_secrets(text).find(secret), std::string::npos) << text;
  }
}

TEST(RedactSecretsTest, BinaryGarbageDoesNotCrash) {
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage.push_back(static_cast<char>((i * 131) % 256));
  EXPECT_EQ(redact_secrets(garbage + "api_key=\"\\"), garbage + "api_key=\"***");
  EXPECT_EQ(redact_secrets("\\\"api_key\\\":\\\"abc"), "\\\"api_key\\\":\\\"***");
}

TEST(ReportTextTest, ValidUtf8IsKept) {
  const std::string s = "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80";
  EXPECT_EQ(text::to_valid_utf8(s), s);
}

TEST(ReportTextTest, InvalidUtf8BecomesReplacementCharacter) {
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(text::to_valid_utf8("a\xFF"
                                "b"),
            "a" + fffd + "b");
  EXPECT_EQ(text::to_valid_utf8("\xC3"), fffd);                                   // truncated
  EXPECT_EQ(text::to_valid_utf8("\xC0\xAF"), fffd + fffd);                        // overlong
  EXPECT_EQ(text::to_valid_utf8("\xED\xA0\x80"), fffd + fffd + fffd);             // surrogate
  EXPECT_EQ(text::to_valid_utf8("\xF4\x90\x80\x80"), fffd + fffd + fffd + fffd);  // > U+10FFFF
}

TEST(ReportTextTest, PrintableShowsControlCharacters) {
  EXPECT_EQ(text::printable("a\x1b[2Jb\r\n\tc\x7f"), "a\\x1b[2Jb\\x0d\n\tc\\x7f");
  EXPECT_EQ(text::printable(std::string("nul\0!", 5)), "nul\\x00!");
  EXPECT_EQ(text::printable("\xC2\x9B"
                            "31m"),
            "\\u009b31m");  // C1 CSI
  EXPECT_EQ(text::printable("\xFF"), "\xEF\xBF\xBD");
}

TEST(ReportTextTest, Formats) {
  EXPECT_EQ(text::format_ms(12.4), "12 ms");
  EXPECT_EQ(text::format_ms(-3), "0 ms");
  EXPECT_EQ(text::format_seconds(1500), "1.500");
  EXPECT_EQ(text::section_group("C2.6"), "C2");
  EXPECT_EQ(text::section_group("C4"), "C4");
  EXPECT_EQ(text::section_group(""), "");
}

}  // namespace
}  // namespace conformance_test
