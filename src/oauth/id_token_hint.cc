#include "oauth/id_token_hint.h"

#include <optional>
#include <utility>

namespace gatehouse::oauth {
namespace {

crypto::JwtVerifyOptions HintOptions(std::string issuer) {
  crypto::JwtVerifyOptions options;
  options.issuer = std::move(issuer);
  options.typ = "JWT";
  options.allow_expired = true;
  return options;
}

core::Error Invalid(std::string_view why) {
  return core::Error(core::ErrorCode::kInvalidToken, why);
}

// The one client the token's audience names (see the header), or std::nullopt.
std::optional<std::string> AudienceClient(const boost::json::object& claims) {
  const boost::json::value* aud = claims.if_contains("aud");
  if (aud == nullptr) return std::nullopt;
  if (aud->is_string()) return std::string(aud->get_string());
  if (!aud->is_array()) return std::nullopt;
  const boost::json::array& members = aud->get_array();
  const boost::json::value* azp = claims.if_contains("azp");
  if (azp != nullptr && azp->is_string()) {
    for (const boost::json::value& member : members) {
      if (member.is_string() && member.get_string() == azp->get_string()) {
        return std::string(azp->get_string());
      }
    }
    return std::nullopt;
  }
  if (members.size() == 1 && members[0].is_string()) return std::string(members[0].get_string());
  return std::nullopt;
}

}  // namespace

IdTokenHintVerifier::IdTokenHintVerifier(std::string issuer, KeyringSource keys,
                                         const core::Clock& clock)
    : keys_(std::move(keys)), verifier_(clock, HintOptions(std::move(issuer))) {}

core::Result<IdTokenHint> IdTokenHintVerifier::Verify(std::string_view hint) const {
  const std::shared_ptr<const crypto::Keyring> keyring = keys_ ? keys_() : nullptr;
  if (keyring == nullptr) return Invalid("no signing keys are loaded");
  core::Result<crypto::DecodedJwt> decoded = verifier_.Verify(hint, *keyring);
  if (!decoded) return decoded.error();
  const boost::json::value* sub = decoded->claims.if_contains("sub");
  if (sub == nullptr || !sub->is_string() || sub->get_string().empty()) {
    return Invalid("the hint has no sub");
  }
  std::optional<std::string> client_id = AudienceClient(decoded->claims);
  if (!client_id || client_id->empty()) return Invalid("the hint's audience names no one client");
  return IdTokenHint{.client_id = std::move(*client_id), .subject = std::string(sub->get_string())};
}

}  // namespace gatehouse::oauth
