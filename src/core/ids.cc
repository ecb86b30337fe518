#include "core/ids.h"

#include <array>
#include <cstdint>

namespace gatehouse::core {

std::string NewUuid(Random& random) {
  std::array<uint8_t, 16> b{};
  random.Fill(b);
  b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[b[i] >> 4];
    out += kHex[b[i] & 0x0f];
  }
  return out;
}

std::string NewId(Random& random, std::string_view prefix, std::string_view environment) {
  std::string out;
  out.reserve(prefix.size() + environment.size() + 38);
  out.append(prefix).append("-").append(environment).append("-").append(NewUuid(random));
  return out;
}

}  // namespace gatehouse::core
