#include "core/display_text.h"

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

namespace gatehouse::core {
namespace {

// The code point starting at text[i], advancing i past it; nullopt when the bytes there are not a
// well-formed UTF-8 sequence.
std::optional<char32_t> DecodeAt(std::string_view text, size_t& i) {
  const auto byte = [&](size_t at) { return static_cast<uint8_t>(text[at]); };
  const uint8_t lead = byte(i);
  if (lead < 0x80) {
    ++i;
    return lead;
  }
  size_t length = 0;
  char32_t c = 0;
  char32_t smallest = 0;  // below this, the sequence is an overlong form
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    c = lead & 0x1F;
    smallest = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    c = lead & 0x0F;
    smallest = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    c = lead & 0x07;
    smallest = 0x10000;
  } else {
    return std::nullopt;  // a continuation byte, or 0xF8..0xFF
  }
  if (text.size() - i < length) return std::nullopt;
  for (size_t k = 1; k < length; ++k) {
    const uint8_t next = byte(i + k);
    if ((next & 0xC0) != 0x80) return std::nullopt;
    c = (c << 6) | (next & 0x3F);
  }
  if (c < smallest || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return std::nullopt;
  i += length;
  return c;
}

// Why `c` may not appear in display text, or nullptr when it may.
const char* RefusalOf(char32_t c) {
  if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)) return "a control character";
  if (c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
      (c >= 0x2066 && c <= 0x2069)) {
    return "a bidirectional control character";
  }
  if ((c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF) return "a zero-width character";
  return nullptr;
}

}  // namespace

Result<void> CheckDisplayText(std::string_view field, std::string_view value) {
  size_t i = 0;
  while (i < value.size()) {
    const std::optional<char32_t> c = DecodeAt(value, i);
    if (!c) return Error(ErrorCode::kBadRequest, std::string(field) + " is not valid UTF-8");
    if (const char* refusal = RefusalOf(*c)) {
      char code_point[16];
      std::snprintf(code_point, sizeof(code_point), "U+%04X", static_cast<unsigned>(*c));
      return Error(ErrorCode::kBadRequest, std::string(field) + " contains " + code_point + ", " +
                                               refusal + ", which a displayed name or " +
                                               "description may not hold");
    }
  }
  return {};
}

}  // namespace gatehouse::core
