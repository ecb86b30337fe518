#include "ui/pending_authorization.h"

#include <stdexcept>
#include <utility>

#include <boost/json.hpp>

#include "crypto/aes_gcm.h"
#include "crypto/encoding.h"

namespace gatehouse::ui {
namespace {

std::string_view PurposeName(PendingPurpose purpose) {
  switch (purpose) {
    case PendingPurpose::kLogin:
      return "login";
    case PendingPurpose::kResume:
      return "resume";
    case PendingPurpose::kConsent:
      return "consent";
  }
  return "";
}

// Purpose and CSRF token as associated data. The token is base64url, so '|' cannot be forged
// into the purpose part.
std::string AssociatedData(PendingPurpose purpose, std::string_view csrf_token) {
  return "gatehouse pending authorization v1|" + std::string(PurposeName(purpose)) + "|" +
         std::string(csrf_token);
}

std::optional<PendingAuthorization> FromJson(std::string_view text) {
  boost::system::error_code ec;
  const boost::json::value value = boost::json::parse(text, ec);
  if (ec || !value.is_object()) return std::nullopt;
  const boost::json::object& object = value.get_object();
  const boost::json::value* params = object.if_contains("p");
  const boost::json::value* expires = object.if_contains("e");
  if (params == nullptr || !params->is_array() || expires == nullptr || !expires->is_int64()) {
    return std::nullopt;
  }
  PendingAuthorization pending;
  pending.expires_at = expires->get_int64();
  for (const boost::json::value& pair : params->get_array()) {
    if (!pair.is_array() || pair.get_array().size() != 2 || !pair.get_array()[0].is_string() ||
        !pair.get_array()[1].is_string()) {
      return std::nullopt;
    }
    pending.params.emplace_back(std::string(pair.get_array()[0].get_string()),
                                std::string(pair.get_array()[1].get_string()));
  }
  if (const boost::json::value* session = object.if_contains("s")) {
    if (!session->is_string()) return std::nullopt;
    pending.session_id = std::string(session->get_string());
  }
  return pending;
}

}  // namespace

PendingAuthorizationSeal::PendingAuthorizationSeal(std::string key32, core::Random& random)
    : key_(std::move(key32)), random_(random) {
  if (key_.size() != crypto::kAesGcmKeyBytes) {
    throw std::invalid_argument("the pending authorization key must be 32 bytes");
  }
}

std::string PendingAuthorizationSeal::Seal(PendingPurpose purpose,
                                           const PendingAuthorization& pending,
                                           std::string_view csrf_token, int64_t now) const {
  boost::json::array params;
  for (const auto& [name, value] : pending.params)
    params.emplace_back(boost::json::array{name, value});
  boost::json::object object{{"p", std::move(params)}, {"e", now + kLifetimeSeconds}};
  if (pending.session_id) object["s"] = *pending.session_id;
  const std::string sealed = crypto::Seal(key_, boost::json::serialize(object),
                                          AssociatedData(purpose, csrf_token), random_);
  return crypto::Base64UrlEncode(sealed);
}

std::variant<PendingAuthorization, PendingAuthorizationSeal::OpenFailure>
PendingAuthorizationSeal::Open(PendingPurpose purpose, std::string_view sealed,
                               std::string_view csrf_token, int64_t now) const {
  const std::optional<std::string> bytes = crypto::Base64UrlDecode(sealed);
  if (!bytes) return OpenFailure::kInvalid;
  const std::optional<std::string> plain =
      crypto::Open(key_, *bytes, AssociatedData(purpose, csrf_token));
  if (!plain) return OpenFailure::kInvalid;
  std::optional<PendingAuthorization> pending = FromJson(*plain);
  if (!pending) return OpenFailure::kInvalid;
  if (now >= pending->expires_at) return OpenFailure::kExpired;
  return std::move(*pending);
}

}  // namespace gatehouse::ui
