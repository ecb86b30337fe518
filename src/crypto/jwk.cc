#include "crypto/jwk.h"

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include <array>
#include <span>
#include <string_view>

#include "crypto/encoding.h"
#include "crypto/hash.h"

namespace gatehouse::crypto {
namespace {

// The required members per key type, already in lexicographic (code point) order.
std::span<const std::string_view> RequiredMembers(std::string_view kty) {
  static constexpr std::array<std::string_view, 3> kRsa = {"e", "kty", "n"};
  static constexpr std::array<std::string_view, 4> kEc = {"crv", "kty", "x", "y"};
  static constexpr std::array<std::string_view, 3> kOkp = {"crv", "kty", "x"};
  static constexpr std::array<std::string_view, 2> kOct = {"k", "kty"};
  if (kty == "RSA") return kRsa;
  if (kty == "EC") return kEc;
  if (kty == "OKP") return kOkp;
  if (kty == "oct") return kOct;
  return {};
}

}  // namespace

std::string JwkThumbprint(const boost::json::object& public_jwk) {
  auto kty = public_jwk.find("kty");
  if (kty == public_jwk.end() || !kty->value().is_string()) return "";
  const boost::json::string& kty_value = kty->value().get_string();
  auto members = RequiredMembers(std::string_view(kty_value.data(), kty_value.size()));
  if (members.empty()) return "";
  std::string canonical = "{";
  for (std::string_view name : members) {
    auto it = public_jwk.find(name);
    if (it == public_jwk.end() || !it->value().is_string()) return "";
    if (canonical.size() > 1) canonical += ',';
    canonical += '"';
    canonical += name;
    canonical += "\":";
    // JSON string escaping, for the member values that could need it.
    canonical += boost::json::serialize(it->value());
  }
  canonical += '}';
  return Base64UrlEncode(Sha256(canonical));
}

}  // namespace gatehouse::crypto
