#include "oauth/discovery.h"

#include <atomic>
#include <memory>

#include <boost/json.hpp>

#include "core/scope.h"

namespace gatehouse::oauth {
namespace {

boost::json::array Strings(std::initializer_list<std::string_view> values) {
  boost::json::array a;
  for (auto v : values) a.emplace_back(v);
  return a;
}

}  // namespace

std::string DiscoveryDocument(const ProtocolSettings& s, std::string_view signing_alg,
                              const std::vector<std::string>& custom_scopes) {
  boost::json::object d;
  d["issuer"] = s.issuer;
  d["authorization_endpoint"] =
      s.authorization_page_url ? *s.authorization_page_url : s.Endpoint("/oauth2/authorize");
  d["token_endpoint"] = s.Endpoint("/v1/oauth2/token");
  d["userinfo_endpoint"] = s.Endpoint("/v1/oauth2/userinfo");
  d["jwks_uri"] = s.Endpoint("/.well-known/jwks.json");
  if (s.dynamic_registration) d["registration_endpoint"] = s.Endpoint("/v1/oauth2/register");
  d["introspection_endpoint"] = s.Endpoint("/v1/oauth2/introspect");
  d["revocation_endpoint"] = s.Endpoint("/v1/oauth2/revoke");
  d["end_session_endpoint"] = s.Endpoint("/oauth2/logout");
  boost::json::array scopes;
  for (auto scope : core::BuiltInScopes()) scopes.emplace_back(scope);
  for (const auto& scope : custom_scopes) scopes.emplace_back(scope);
  d["scopes_supported"] = std::move(scopes);
  d["response_types_supported"] = Strings({"code"});
  d["response_modes_supported"] = Strings({"query"});
  d["grant_types_supported"] =
      Strings({"authorization_code", "refresh_token", "client_credentials"});
  d["subject_types_supported"] = Strings({"public"});
  d["id_token_signing_alg_values_supported"] = Strings({signing_alg});
  d["token_endpoint_auth_methods_supported"] =
      Strings({"client_secret_basic", "client_secret_post", "none"});
  d["introspection_endpoint_auth_methods_supported"] =
      Strings({"client_secret_basic", "client_secret_post"});
  d["revocation_endpoint_auth_methods_supported"] =
      Strings({"client_secret_basic", "client_secret_post", "none"});
  d["code_challenge_methods_supported"] = Strings({"S256"});
  d["claims_supported"] =
      Strings({"iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "name",
               "given_name", "family_name", "email", "email_verified", "phone_number"});
  d["prompt_values_supported"] = Strings({"none", "login", "consent"});
  d["authorization_response_iss_parameter_supported"] = true;
  d["request_parameter_supported"] = false;
  d["request_uri_parameter_supported"] = false;
  if (s.cimd) d["client_id_metadata_document_supported"] = true;
  return boost::json::serialize(d);
}

void AddDiscoveryRoutes(http::Router& router, const ProtocolSettings& settings,
                        const accounts::SigningKeys& keys, std::string signing_alg,
                        CustomScopeSource custom_scopes) {
  // The served document and the source generation it was built from; rebuilt (rarely) when the
  // generation moves. A race rebuilds twice, harmlessly.
  struct Served {
    std::atomic<std::shared_ptr<const std::string>> document;
    std::atomic<uint64_t> generation{0};
  };
  auto served = std::make_shared<Served>();
  auto build = [&settings, signing_alg, custom_scopes] {
    return std::make_shared<const std::string>(DiscoveryDocument(
        settings, signing_alg,
        custom_scopes.scopes ? custom_scopes.scopes() : std::vector<std::string>{}));
  };
  if (custom_scopes.generation) served->generation = custom_scopes.generation();
  served->document = build();
  auto serve_document = [served, build, custom_scopes](http::Request&) {
    if (custom_scopes.generation) {
      const uint64_t now = custom_scopes.generation();
      if (now != served->generation.load()) {
        served->generation = now;
        served->document = build();
      }
    }
    http::Response r = http::Response::Json(200, *served->document.load());
    r.Set("Cache-Control", "public, max-age=300");
    return r;
  };
  router.Add("GET", "/.well-known/openid-configuration", serve_document, {.cors = true});
  router.Add("GET", "/.well-known/oauth-authorization-server", serve_document, {.cors = true});
  router.Add("GET", "/.well-known/jwks.json",
             [&keys](http::Request&) {
               const auto keyring = keys.Snapshot();
               http::Response r =
                   http::Response::Json(200, keyring ? keyring->JwksJson() : "{\"keys\":[]}");
               r.Set("Content-Type", "application/jwk-set+json");
               // Short: relying parties must see a newly pre-published key well before it signs.
               r.Set("Cache-Control", "public, max-age=300");
               return r;
             },
             {.cors = true});
}

}  // namespace gatehouse::oauth
