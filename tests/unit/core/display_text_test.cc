#include "core/display_text.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace gatehouse::core {
namespace {

// `c` as UTF-8 (valid scalar values only).
std::string Utf8(char32_t c) {
  std::string out;
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
  return out;
}

TEST(DisplayTextTest, OrdinaryTextInAnyScriptIsAllowed) {
  for (const char* text :
       {"", "My app", "Café Ünïcode 日本", "Ελληνικά", "עברית", "العربية", "Emoji 🙂 app",
        "Tabs are not here but punctuation is: !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"}) {
    EXPECT_TRUE(CheckDisplayText("client_name", text)) << text;
  }
  // Neighbours of the refused ranges stay allowed.
  for (char32_t c : {char32_t{0x20}, char32_t{0x7E}, char32_t{0xA0}, char32_t{0x061B},
                     char32_t{0x061D}, char32_t{0x200A}, char32_t{0x2010}, char32_t{0x2029},
                     char32_t{0x202F}, char32_t{0x205F}, char32_t{0x2065}, char32_t{0x206A},
                     char32_t{0xFEFE}, char32_t{0xFF00}, char32_t{0x10FFFF}}) {
    EXPECT_TRUE(CheckDisplayText("client_name", "a" + Utf8(c) + "b"))
        << std::hex << static_cast<uint32_t>(c);
  }
}

TEST(DisplayTextTest, BidiControlsAreRefused) {
  std::vector<char32_t> bidi = {0x061C, 0x200E, 0x200F};
  for (char32_t c = 0x202A; c <= 0x202E; ++c) bidi.push_back(c);
  for (char32_t c = 0x2066; c <= 0x2069; ++c) bidi.push_back(c);
  for (char32_t c : bidi) {
    const auto r = CheckDisplayText("client_name", "Invoice" + Utf8(c) + "gnp.exe");
    ASSERT_FALSE(r) << std::hex << static_cast<uint32_t>(c);
    EXPECT_EQ(r.error().code(), ErrorCode::kBadRequest);
    EXPECT_NE(r.error().description().find("bidirectional"), std::string::npos);
  }
}

TEST(DisplayTextTest, EveryControlCharacterIsRefused) {
  for (char32_t c = 0; c < 0x20; ++c) {
    EXPECT_FALSE(CheckDisplayText("client_name", "a" + Utf8(c) + "b"))
        << std::hex << static_cast<uint32_t>(c);
  }
  for (char32_t c = 0x7F; c <= 0x9F; ++c) {
    EXPECT_FALSE(CheckDisplayText("client_name", "a" + Utf8(c) + "b"))
        << std::hex << static_cast<uint32_t>(c);
  }
  EXPECT_FALSE(CheckDisplayText("description", "two\nlines"));
  EXPECT_FALSE(CheckDisplayText("description", std::string("nul\0byte", 8)));
}

TEST(DisplayTextTest, ZeroWidthCharactersAreRefused) {
  for (char32_t c :
       {char32_t{0x200B}, char32_t{0x200C}, char32_t{0x200D}, char32_t{0x2060}, char32_t{0xFEFF}}) {
    const auto r = CheckDisplayText("client_name", "Pay" + Utf8(c) + "pal");
    ASSERT_FALSE(r) << std::hex << static_cast<uint32_t>(c);
    EXPECT_NE(r.error().description().find("zero-width"), std::string::npos);
  }
}

TEST(DisplayTextTest, MalformedUtf8IsRefused) {
  for (const std::string& bytes : std::vector<std::string>{
           "\x80",                  // a lone continuation byte
           "\xC3",                  // truncated two-byte sequence
           "\xC3\x28",              // a lead byte followed by a non-continuation
           "\xC0\xAF",              // overlong '/'
           "\xE0\x80\xAF",          // overlong '/' in three bytes
           "\xF0\x80\x80\xAF",      // and in four
           "\xED\xA0\x80",          // U+D800, a surrogate
           "\xED\xBF\xBF",          // U+DFFF
           "\xF4\x90\x80\x80",      // above U+10FFFF
           "\xF8\x88\x80\x80\x80",  // five-byte form
           "\xFF", "\xE6\x97"}) {   // invalid byte; truncated three-byte sequence
    const auto r = CheckDisplayText("organization_name", "ok " + bytes + " ok");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().description(), "organization_name is not valid UTF-8");
  }
}

TEST(DisplayTextTest, TheErrorNamesTheFieldAndTheCodePointButNotTheText) {
  const auto r = CheckDisplayText("scopes[2].description", "Secret\xE2\x80\xAEtxt.exe");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().description(),
            "scopes[2].description contains U+202E, a bidirectional control character, which a "
            "displayed name or description may not hold");
  EXPECT_EQ(r.error().description().find("Secret"), std::string::npos);
  const auto control = CheckDisplayText("first_name", "a\x07");
  ASSERT_FALSE(control);
  EXPECT_NE(control.error().description().find("U+0007, a control character"), std::string::npos);
}

}  // namespace
}  // namespace gatehouse::core
