#include "oauth/dynamic_registration.h"

#include <boost/json.hpp>

#include "crypto/hash.h"
#include "crypto/secure_random.h"
#include "http/form.h"
#include "http/json_body.h"
#include "http/responses.h"
#include "oauth/registration_metadata.h"

namespace gatehouse::oauth {
namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using http::NoStore;

struct DynamicRegistration::Authorized {
  store::Registration registration;
  std::string token_hash;
};

namespace {

constexpr std::string_view kRegisterPath = "/v1/oauth2/register";

// RFC 7591 members are bounded by ParseRegistrationMetadata; these limits bound what it ignores.
constexpr http::JsonLimits kRegistrationLimits{
    .string_bytes = kMaxMetadataString, .array_items = 100, .object_members = 100, .fields = {}};

core::Result<json::object> ParseBody(std::string_view body) {
  auto parsed = http::ParseJsonObjectBody(body, kRegistrationLimits);
  if (!parsed) return Error(ErrorCode::kInvalidClientMetadata, parsed.error().description());
  return parsed;
}

http::Response InvalidToken() {
  http::Response r = http::OAuthErrorResponse(
      Error(ErrorCode::kInvalidToken, "a valid registration access token is required"));
  r.Set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
  return r;
}

}  // namespace

http::Response DynamicRegistration::Render(int status, const store::Registration& registration,
                                           const std::optional<std::string>& client_secret,
                                           const std::optional<std::string>& access_token) const {
  boost::system::error_code ec;
  json::value stored = json::parse(registration.metadata_json, ec);
  json::object body = (!ec && stored.is_object()) ? std::move(stored.as_object()) : json::object{};
  const core::Client& client = registration.client;
  body["client_id"] = client.client_id;
  body["client_id_issued_at"] = client.created_at;
  if (!core::IsPublic(client.client_type)) {
    if (client_secret) body["client_secret"] = *client_secret;
    body["client_secret_expires_at"] = 0;
  }
  if (access_token) body["registration_access_token"] = *access_token;
  body["registration_client_uri"] =
      settings_.Endpoint(std::string(kRegisterPath) + "/" + client.client_id);
  return NoStore(http::JsonResponse(status, body));
}

http::Response DynamicRegistration::Register(const http::Request& request) {
  if (auto admitted = limits_.CheckAddress(request); !admitted) {
    return NoStore(http::OAuthErrorResponse(admitted.error()));
  }
  auto body = ParseBody(request.body);
  if (!body) return NoStore(http::OAuthErrorResponse(body.error()));
  auto metadata = ParseRegistrationMetadata(*body, registry_.environment());
  if (!metadata) return NoStore(http::OAuthErrorResponse(metadata.error()));

  const int64_t now = registry_.clock().NowSeconds();
  const std::string token = crypto::RandomToken(registry_.random(), 32);
  const std::string token_hash = registry_.hasher().Hash(token);
  store::ClientRepository& repo = registry_.repository();

  store::Registration registration{std::move(metadata->client),
                                   json::serialize(metadata->registered), std::nullopt};
  core::Client& client = registration.client;
  client.created_at = client.updated_at = now;
  std::optional<std::string> secret;
  if (core::IsPublic(client.client_type)) {
    registration.dedup_hash = RegistrationDedupHash(metadata->registered);
    // The same metadata registered again: same client, a token of its own for this registrant.
    // Two attempts cover an identical registration committing between the lookup and the insert.
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (auto existing = repo.FindByDedupHash(*registration.dedup_hash)) {
        auto found = repo.FindRegistration(*existing);
        if (!found) break;
        repo.AddRegistrationToken(*existing, token_hash, now);
        return Render(201, *found, std::nullopt, token);
      }
      if (auto room = CheckClientCap(); !room) {
        return NoStore(http::OAuthErrorResponse(room.error()));
      }
      client.client_id = registry_.NewClientId();
      try {
        repo.InsertRegistration(registration, token_hash);
        client_count_.fetch_add(1);
        registry_.Invalidate();
        return Render(201, registration, std::nullopt, token);
      } catch (const store::ConstraintViolation&) {
        if (attempt == 1) throw;
      }
    }
    return NoStore(http::OAuthErrorResponse(
        Error(ErrorCode::kTemporarilyUnavailable, "the registration changed concurrently; retry")));
  }
  if (auto room = CheckClientCap(); !room) return NoStore(http::OAuthErrorResponse(room.error()));
  accounts::IssuedSecret issued = registry_.NewSecret();
  client.client_id = registry_.NewClientId();
  client.secret_hash = issued.hash;
  client.secret_last_four = issued.last_four;
  repo.InsertRegistration(registration, token_hash);
  client_count_.fetch_add(1);
  registry_.Invalidate();
  return Render(201, registration, issued.secret, token);
}

core::Result<void> DynamicRegistration::CheckClientCap() {
  if (max_clients_ <= 0) return {};
  const int64_t now = registry_.clock().NowSeconds();
  if (now - counted_at_.load() >= kCountRefreshSeconds) {
    client_count_.store(
        registry_.repository().CountByCreationMethod(core::CreationMethod::kDynamicRegistration));
    counted_at_.store(now);
  }
  if (client_count_.load() >= max_clients_) {
    return Error(ErrorCode::kTooManyRequests, "this server has reached its limit of " +
                                                  std::to_string(max_clients_) +
                                                  " dynamically registered clients");
  }
  return {};
}

core::Result<DynamicRegistration::Authorized> DynamicRegistration::Authorize(
    const http::Request& request) {
  const Error invalid(ErrorCode::kInvalidToken, "a valid registration access token is required");
  const auto header = request.Header("authorization");
  if (!header) return invalid;
  const auto token = http::BearerToken(*header);
  if (!token) return invalid;
  const std::string hash = registry_.hasher().Hash(*token);
  const auto owner = registry_.repository().FindClientByRegistrationToken(hash);
  const std::string_view client_id = request.PathParam("client_id");
  // The hash lookup is by index; comparing the owner with the path needs no constant time (the
  // client_id is public, and the token already matched).
  if (!owner || *owner != client_id) return invalid;
  auto registration = registry_.repository().FindRegistration(client_id);
  if (!registration) return invalid;
  return Authorized{std::move(*registration), hash};
}

http::Response DynamicRegistration::Read(const http::Request& request) {
  auto authorized = Authorize(request);
  if (!authorized) return InvalidToken();
  return Render(200, authorized->registration, std::nullopt, std::nullopt);
}

http::Response DynamicRegistration::Replace(const http::Request& request) {
  auto authorized = Authorize(request);
  if (!authorized) return InvalidToken();
  const core::Client& current = authorized->registration.client;
  auto body = ParseBody(request.body);
  if (!body) return NoStore(http::OAuthErrorResponse(body.error()));
  // RFC 7592 §2.2: the body names the client, and a client_secret in it must be the current one.
  const auto* id = body->if_contains("client_id");
  if (id == nullptr || !id->is_string() || id->as_string() != current.client_id) {
    return NoStore(http::OAuthErrorResponse(Error(
        ErrorCode::kInvalidClientMetadata, "client_id must be present and name this client")));
  }
  if (const auto* secret = body->if_contains("client_secret")) {
    if (!secret->is_string() || !registry_.VerifySecret(current, secret->as_string())) {
      return NoStore(http::OAuthErrorResponse(
          Error(ErrorCode::kInvalidClientMetadata, "client_secret does not match")));
    }
  }
  auto metadata = ParseRegistrationMetadata(*body, registry_.environment());
  if (!metadata) return NoStore(http::OAuthErrorResponse(metadata.error()));
  if (metadata->client.client_type != current.client_type) {
    return NoStore(http::OAuthErrorResponse(
        Error(ErrorCode::kInvalidClientMetadata,
              "token_endpoint_auth_method cannot change between none and a secret method: "
              "register a new client")));
  }
  if (registry_.repository().CountRegistrationTokens(current.client_id) > 1) {
    return NoStore(http::OAuthErrorResponse(
        Error(ErrorCode::kInvalidClientMetadata,
              "this registration is shared by identical registrations and cannot be changed: "
              "register the new metadata instead")));
  }
  core::Client changed = current;
  changed.client_name = metadata->client.client_name;
  changed.client_uri = metadata->client.client_uri;
  changed.logo_url = metadata->client.logo_url;
  changed.redirect_uris = metadata->client.redirect_uris;
  changed.application_type = metadata->client.application_type;
  changed.updated_at = registry_.clock().NowSeconds();
  const std::string metadata_json = json::serialize(metadata->registered);
  if (!registry_.repository().UpdateRegistration(changed, metadata_json)) return InvalidToken();
  registry_.Invalidate();
  return Render(200, store::Registration{changed, metadata_json, std::nullopt}, std::nullopt,
                std::nullopt);
}

http::Response DynamicRegistration::Remove(const http::Request& request) {
  auto authorized = Authorize(request);
  if (!authorized) return InvalidToken();
  registry_.repository().RemoveRegistrationToken(authorized->registration.client.client_id,
                                                 authorized->token_hash);
  registry_.Invalidate();
  return NoStore(http::Response{.status = 204, .headers = {}, .body = {}});
}

void AddDynamicRegistrationRoutes(http::Router& router, DynamicRegistration& registration,
                                  const ProtocolSettings& settings) {
  if (!settings.dynamic_registration) return;
  DynamicRegistration* r = &registration;
  const http::RouteOptions cors{.cors = true};
  const std::string path(kRegisterPath);
  router.Add(
      "POST", path, [r](http::Request& q) { return r->Register(q); }, cors);
  router.Add(
      "GET", path + "/{client_id}", [r](http::Request& q) { return r->Read(q); }, cors);
  router.Add(
      "PUT", path + "/{client_id}", [r](http::Request& q) { return r->Replace(q); }, cors);
  router.Add(
      "DELETE", path + "/{client_id}", [r](http::Request& q) { return r->Remove(q); }, cors);
}

}  // namespace gatehouse::oauth
