#include "reference_runtime/base64.h"

#include <gtest/gtest.h>

#include "tests/runtime/test_files.h"

namespace {

std::string Decode(const std::string& text, bool* ok) {
  std::string out;
  std::string error;
  *ok = rr::DecodeBase64(text, &out, &error);
  if (!*ok) {
    EXPECT_FALSE(error.empty());
  }
  return out;
}

TEST(Base64Test, RoundTripsAllByteValuesAndLengths) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  for (size_t length : {0u, 1u, 2u, 3u, 4u, 255u, 256u}) {
    const std::string original = bytes.substr(0, length);
    bool ok = false;
    EXPECT_EQ(Decode(rr_test::Base64(original), &ok), original) << length;
    EXPECT_TRUE(ok);
  }
}

TEST(Base64Test, ToleratesWhitespaceAndNewlines) {
  bool ok = false;
  EXPECT_EQ(Decode("aGVs\nbG8g\r\nd29y bGQ=\n", &ok), "hello world");
  EXPECT_TRUE(ok);
}

TEST(Base64Test, AcceptsUnpaddedTail) {
  bool ok = false;
  EXPECT_EQ(Decode("aGk", &ok), "hi");
  EXPECT_TRUE(ok);
}

TEST(Base64Test, RejectsForeignCharacters) {
  bool ok = true;
  Decode("aGVs*G8=", &ok);
  EXPECT_FALSE(ok);
  Decode("aGVs-G8_", &ok);  // URL-safe alphabet is not accepted
  EXPECT_FALSE(ok);
}

TEST(Base64Test, RejectsBadPadding) {
  bool ok = true;
  Decode("=aGk", &ok);
  EXPECT_FALSE(ok);
  Decode("aGk=aGk=", &ok);  // data after padding
  EXPECT_FALSE(ok);
  Decode("aG===", &ok);
  EXPECT_FALSE(ok);
  Decode("a", &ok);  // a lone sextet cannot encode a byte
  EXPECT_FALSE(ok);
}

}  // namespace
