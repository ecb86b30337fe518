#include "oauth/cimd/address_policy.h"

#include <array>
#include <cstdint>

namespace gatehouse::oauth::cimd {
namespace {

using boost::asio::ip::address;
using boost::asio::ip::address_v4;
using boost::asio::ip::address_v6;

struct SpecialRange {
  uint32_t network;
  int prefix;
  std::string_view name;
};

constexpr uint32_t V4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  return (uint32_t{a} << 24) | (uint32_t{b} << 16) | (uint32_t{c} << 8) | d;
}

constexpr std::array<SpecialRange, 17> kV4SpecialUse{{
    {V4(0, 0, 0, 0), 8, "\"this network\""},
    {V4(10, 0, 0, 0), 8, "private-use"},
    {V4(100, 64, 0, 0), 10, "shared (CGNAT)"},
    {V4(127, 0, 0, 0), 8, "loopback"},
    {V4(169, 254, 0, 0), 16, "link-local"},
    {V4(172, 16, 0, 0), 12, "private-use"},
    {V4(192, 0, 0, 0), 24, "IETF protocol assignment"},
    {V4(192, 0, 2, 0), 24, "documentation"},
    {V4(192, 31, 196, 0), 24, "AS112"},
    {V4(192, 52, 193, 0), 24, "AMT"},
    {V4(192, 88, 99, 0), 24, "6to4 relay"},
    {V4(192, 168, 0, 0), 16, "private-use"},
    {V4(198, 18, 0, 0), 15, "benchmarking"},
    {V4(198, 51, 100, 0), 24, "documentation"},
    {V4(203, 0, 113, 0), 24, "documentation"},
    {V4(224, 0, 0, 0), 4, "multicast"},
    {V4(240, 0, 0, 0), 4, "reserved or broadcast"},
}};

std::optional<std::string_view> V4SpecialUse(const address_v4& a) {
  const uint32_t bits = a.to_uint();
  for (const auto& range : kV4SpecialUse) {
    const uint32_t mask = range.prefix == 0 ? 0 : ~uint32_t{0} << (32 - range.prefix);
    if ((bits & mask) == range.network) return range.name;
  }
  return std::nullopt;
}

// True when the first `prefix` bits of `bytes` equal those of `network`.
bool InPrefix(const address_v6::bytes_type& bytes, std::array<uint8_t, 4> network, int prefix) {
  for (int bit = 0; bit < prefix; ++bit) {
    const int byte = bit / 8;
    const uint8_t mask = static_cast<uint8_t>(0x80 >> (bit % 8));
    if ((bytes[byte] & mask) != (network[byte] & mask)) return false;
  }
  return true;
}

std::optional<std::string_view> V6SpecialUse(const address_v6& a) {
  if (a.is_v4_mapped()) {
    return V4SpecialUse(boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a));
  }
  const auto b = a.to_bytes();
  if (a.is_loopback()) return "loopback";
  if (a.is_unspecified()) return "unspecified";
  if (!InPrefix(b, {0x20, 0x00, 0, 0}, 3)) {
    if (InPrefix(b, {0xfc, 0x00, 0, 0}, 7)) return "unique-local";
    if (InPrefix(b, {0xfe, 0x80, 0, 0}, 10)) return "link-local";
    if (InPrefix(b, {0xff, 0x00, 0, 0}, 8)) return "multicast";
    return "reserved (not global unicast)";
  }
  if (InPrefix(b, {0x20, 0x01, 0x0d, 0xb8}, 32)) return "documentation";
  if (InPrefix(b, {0x20, 0x01, 0x00, 0x00}, 23)) return "IETF protocol assignment";
  if (InPrefix(b, {0x20, 0x02, 0, 0}, 16)) return "6to4";
  if (InPrefix(b, {0x3f, 0xff, 0, 0}, 20)) return "documentation";
  return std::nullopt;
}

}  // namespace

std::optional<std::string_view> SpecialUseRange(const address& a) {
  return a.is_v4() ? V4SpecialUse(a.to_v4()) : V6SpecialUse(a.to_v6());
}

bool IsLoopbackAddress(const address& a) {
  if (a.is_v4()) return a.to_v4().is_loopback();
  const address_v6 v6 = a.to_v6();
  if (v6.is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).is_loopback();
  }
  return v6.is_loopback();
}

bool PermitsAddress(const address& a, bool allow_loopback) {
  if (!SpecialUseRange(a)) return true;
  return allow_loopback && IsLoopbackAddress(a);
}

}  // namespace gatehouse::oauth::cimd
