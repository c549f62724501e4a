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

namespace {

// Decoding over the text itself (the output starts before the input, as
// when an archive is decoded into the front of the request body it came in).
TEST(Base64Test, DecodesInPlaceOverItsOwnInput) {
  std::string bytes;
  for (int i = 0; i < 100000; ++i) bytes.push_back(static_cast<char>((i * 7919) >> 3));
  std::string text = rr_test::Base64(bytes);
  text.insert(1000, "\n \r\t");  // whitespace takes the careful path midway
  std::string buffer = "{\"code\":\"" + text + "\"}";
  size_t decoded = 0;
  std::string error;
  ASSERT_TRUE(rr::DecodeBase64Into(buffer.data() + 9, text.size(), buffer.data(), &decoded, &error))
      << error;
  EXPECT_EQ(buffer.substr(0, decoded), bytes);
  std::string out;
  EXPECT_FALSE(rr::DecodeBase64(text + "*", &out, &error));
  EXPECT_NE(error.find("offset " + std::to_string(text.size())), std::string::npos) << error;
}

}  // namespace
