#include "crypto/jwt.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/serializer.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/keyring.h"

namespace gatehouse::crypto {
namespace {

core::Error Invalid(std::string_view why) {
  return core::Error(core::ErrorCode::kInvalidToken, why);
}

// Characters that can be copied into a JSON string literal without escaping.
bool IsPlainJsonText(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c >= 0x20 && c < 0x7F && c != '"' && c != '\\'; });
}

// The protected header, written directly into `out` as base64url. Member order is fixed so the
// same key and typ always produce the same header bytes.
void AppendEncodedHeader(const SigningKey& key, std::string_view typ, std::string& out) {
  std::string_view alg = AlgorithmName(key.algorithm());
  const std::string& kid = key.kid();
  char buffer[256];
  size_t needed = 40 + alg.size() + typ.size() + kid.size();
  if (needed <= sizeof(buffer) && IsPlainJsonText(typ) && IsPlainJsonText(kid)) {
    size_t n = 0;
    auto put = [&](std::string_view s) {
      std::copy(s.begin(), s.end(), buffer + n);
      n += s.size();
    };
    put(R"({"alg":")");
    put(alg);
    if (!typ.empty()) {
      put(R"(","typ":")");
      put(typ);
    }
    put(R"(","kid":")");
    put(kid);
    put(R"("})");
    AppendBase64Url(std::string_view(buffer, n), out);
    return;
  }
  // Unusual typ values need escaping; Boost.JSON does that, in the same member order.
  boost::json::object header;
  header["alg"] = alg;
  if (!typ.empty()) header["typ"] = typ;
  header["kid"] = kid;
  AppendBase64Url(boost::json::serialize(header), out);
}

std::optional<boost::json::object> ParseObject(std::string_view text) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(text, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.get_object());
}

std::optional<std::string_view> StringMember(const boost::json::object& object,
                                             std::string_view name) {
  auto it = object.find(name);
  if (it == object.end() || !it->value().is_string()) return std::nullopt;
  const boost::json::string& s = it->value().get_string();
  return std::string_view(s.data(), s.size());
}

// RFC 7519 §2 NumericDate: integer or fractional seconds since the epoch.
std::optional<double> NumericDate(const boost::json::value& value) {
  if (value.is_int64()) return static_cast<double>(value.get_int64());
  if (value.is_uint64()) return static_cast<double>(value.get_uint64());
  // Boost.JSON 1.81 reads 0e400 as NaN and 1e400 as infinity; NaN compares false with every
  // time, so an "exp" of NaN would never expire. Neither is a NumericDate.
  if (value.is_double() && std::isfinite(value.get_double())) return value.get_double();
  return std::nullopt;
}

// Lowercase, without an "application/" prefix (RFC 7515 §4.1.9).
std::string NormalizedMediaType(std::string_view type) {
  std::string lower(type);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  constexpr std::string_view kPrefix = "application/";
  if (lower.starts_with(kPrefix)) lower.erase(0, kPrefix.size());
  return lower;
}

bool AudienceContains(const boost::json::value& aud, std::string_view expected) {
  if (aud.is_string()) return aud.get_string() == expected;
  if (!aud.is_array()) return false;
  const boost::json::array& list = aud.get_array();
  return std::any_of(list.begin(), list.end(), [&](const boost::json::value& entry) {
    return entry.is_string() && entry.get_string() == expected;
  });
}

}  // namespace

std::string SignJwt(const SigningKey& key, std::string_view typ,
                    const boost::json::object& claims) {
  std::string out;
  // Typical access token claims fit in 512 bytes; the signature size is exact.
  out.reserve(160 + 700 + 1 + Base64UrlLength(key.MaxSignatureSize()));
  AppendEncodedHeader(key, typ, out);
  out.push_back('.');
  {
    boost::json::serializer serializer;
    serializer.reset(&claims);
    Base64UrlStreamEncoder encoder(out);
    char chunk[1024];
    while (!serializer.done()) encoder.Write(serializer.read(chunk));
    encoder.Finish();
  }
  std::string signature = key.Sign(out);
  out.push_back('.');
  AppendBase64Url(signature, out);
  return out;
}

JwtVerifier::JwtVerifier(const core::Clock& clock, JwtVerifyOptions options)
    : clock_(clock),
      options_(std::move(options)),
      expected_typ_(options_.typ ? NormalizedMediaType(*options_.typ) : std::string()) {}

core::Result<DecodedJwt> JwtVerifier::Verify(std::string_view token, const Keyring& keyring) const {
  return Verify(token, [&keyring](std::string_view kid) { return keyring.Find(kid); });
}

core::Result<DecodedJwt> JwtVerifier::Verify(std::string_view token, const KeyLookup& keys) const {
  if (token.size() > options_.max_token_bytes) return Invalid("token is too large");
  size_t first_dot = token.find('.');
  size_t second_dot =
      first_dot == std::string_view::npos ? first_dot : token.find('.', first_dot + 1);
  if (second_dot == std::string_view::npos || token.find('.', second_dot + 1) != token.npos) {
    return Invalid("token is not a compact JWS of three parts");
  }
  std::string_view signing_input = token.substr(0, second_dot);
  std::string_view header_part = token.substr(0, first_dot);
  std::string_view payload_part = token.substr(first_dot + 1, second_dot - first_dot - 1);
  std::string_view signature_part = token.substr(second_dot + 1);

  auto header_json = Base64UrlDecode(header_part);
  if (!header_json) return Invalid("token header is not base64url");
  auto header = ParseObject(*header_json);
  if (!header) return Invalid("token header is not a JSON object");

  auto alg_name = StringMember(*header, "alg");
  if (!alg_name) return Invalid("token header has no alg");
  if (*alg_name == "none") return Invalid("unsigned tokens (alg none) are not accepted");
  auto alg = ParseAlgorithm(*alg_name);
  if (!alg || std::find(options_.allowed_algorithms.begin(), options_.allowed_algorithms.end(),
                        *alg) == options_.allowed_algorithms.end()) {
    return Invalid("token alg is not allowed");
  }
  // We understand no extensions, and RFC 7515 §4.1.11 says a recipient that does not must reject.
  if (header->contains("crit")) return Invalid("token header has unsupported crit");
  auto kid = StringMember(*header, "kid");
  if (!kid || kid->empty()) return Invalid("token header has no kid");
  if (options_.typ) {
    auto typ = StringMember(*header, "typ");
    if (!typ || NormalizedMediaType(*typ) != expected_typ_) {
      return Invalid("token typ is not the expected type");
    }
  }

  const VerificationKey* key = keys(*kid);
  if (key == nullptr) return Invalid("token kid is unknown");
  if (key->algorithm() != *alg) return Invalid("token alg does not match its key");
  auto signature = Base64UrlDecode(signature_part);
  if (!signature) return Invalid("token signature is not base64url");
  if (!key->Verify(*alg, signing_input, *signature)) return Invalid("token signature is invalid");

  // Only now, with the payload authenticated, is it worth parsing.
  auto payload_json = Base64UrlDecode(payload_part);
  if (!payload_json) return Invalid("token payload is not base64url");
  auto claims = ParseObject(*payload_json);
  if (!claims) return Invalid("token payload is not a JSON object");
  if (auto checked = CheckClaims(*claims); !checked) return checked.error();

  DecodedJwt decoded{*alg, std::string(*kid), {}, std::move(*claims)};
  decoded.header = std::move(*header);  // after copying kid, which points into it
  return decoded;
}

core::Result<void> JwtVerifier::CheckClaims(const boost::json::object& claims) const {
  const double now = static_cast<double>(clock_.NowSeconds());
  const double leeway = static_cast<double>(options_.leeway.count());

  if (auto it = claims.find("exp"); it != claims.end()) {
    auto exp = NumericDate(it->value());
    if (!exp) return Invalid("token exp is not a number");
    if (!options_.allow_expired && now >= *exp + leeway) return Invalid("token has expired");
  } else if (options_.require_exp) {
    return Invalid("token has no exp");
  }
  if (auto it = claims.find("nbf"); it != claims.end()) {
    auto nbf = NumericDate(it->value());
    if (!nbf) return Invalid("token nbf is not a number");
    if (now + leeway < *nbf) return Invalid("token is not yet valid");
  }
  if (auto it = claims.find("iat"); it != claims.end()) {
    auto iat = NumericDate(it->value());
    if (!iat) return Invalid("token iat is not a number");
    if (*iat > now + leeway) return Invalid("token was issued in the future");
  }
  if (options_.issuer) {
    auto iss = StringMember(claims, "iss");
    if (!iss || *iss != *options_.issuer) return Invalid("token issuer is not the expected one");
  }
  if (options_.audience) {
    auto it = claims.find("aud");
    if (it == claims.end() || !AudienceContains(it->value(), *options_.audience)) {
      return Invalid("token audience does not include the expected one");
    }
  }
  return {};
}

std::string AtHash(std::string_view access_token, Algorithm alg) {
  std::string digest = alg == Algorithm::kEdDsa ? Sha512(access_token) : Sha256(access_token);
  return Base64UrlEncode(std::string_view(digest).substr(0, digest.size() / 2));
}

}  // namespace gatehouse::crypto
