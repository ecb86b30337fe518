// Fuzz target: core::CheckDisplayText. Invariant: it accepts exactly the inputs that are
// well-formed UTF-8 (Unicode Table 3-7, written here independently of the decoder under test)
// holding none of the refused code points; a refusal's description is printable ASCII.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/display_text.h"
#include "fuzz/fuzz_check.h"

namespace {

struct Range {
  uint8_t low, high;
};

// The scalar value of the well-formed sequence at text[i] (Table 3-7 byte ranges), advancing i.
std::optional<char32_t> NextScalar(std::string_view text, size_t& i) {
  const auto at = [&](size_t k) { return static_cast<uint8_t>(text[k]); };
  const uint8_t b0 = at(i);
  if (b0 <= 0x7F) {
    ++i;
    return b0;
  }
  Range second{0x80, 0xBF};
  size_t length = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    if (b0 == 0xE0) second = {0xA0, 0xBF};
    if (b0 == 0xED) second = {0x80, 0x9F};
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    if (b0 == 0xF0) second = {0x90, 0xBF};
    if (b0 == 0xF4) second = {0x80, 0x8F};
  } else {
    return std::nullopt;
  }
  if (text.size() - i < length) return std::nullopt;
  if (at(i + 1) < second.low || at(i + 1) > second.high) return std::nullopt;
  for (size_t k = 2; k < length; ++k) {
    if (at(i + k) < 0x80 || at(i + k) > 0xBF) return std::nullopt;
  }
  const uint8_t lead_bits = length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07;
  char32_t c = b0 & lead_bits;
  for (size_t k = 1; k < length; ++k) c = (c << 6) | (at(i + k) & 0x3F);
  i += length;
  return c;
}

bool Refused(char32_t c) {
  constexpr char32_t kSingles[] = {0x061C, 0x200E, 0x200F, 0x2060, 0xFEFF, 0x7F};
  for (char32_t s : kSingles) {
    if (c == s) return true;
  }
  return c <= 0x1F || (c >= 0x80 && c <= 0x9F) || (c >= 0x200B && c <= 0x200D) ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

bool Acceptable(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const std::optional<char32_t> c = NextScalar(text, i);
    if (!c || Refused(*c)) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = gatehouse::fuzz::AsText(data, size);
  const auto checked = gatehouse::core::CheckDisplayText("client_name", text);
  FUZZ_CHECK(checked.has_value() == Acceptable(text));
  if (!checked) {
    const std::string& description = checked.error().description();
    FUZZ_CHECK(description.starts_with("client_name "));
    for (char c : description) FUZZ_CHECK(c >= 0x20 && c <= 0x7E);
  }
  return 0;
}
