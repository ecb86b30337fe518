#pragma once
// Client: a connected app as the registry stores it, plus the vocabulary that describes it
// (ClientType, CreationMethod, Environment, ApplicationType, ClientStatus) with the wire names the
// management API, dynamic registration and the database use.
//
// Client is a plain aggregate: it holds data and enforces nothing. Rules about clients live in the
// policy files (redirect_uri_policy.h, consent.h, ...); persistence lives in src/store.
// The Parse* functions return std::nullopt for any string that is not exactly a wire name (they are
// case-sensitive); callers choose the error that fits their surface.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gatehouse::core {

// Confidential types hold a client secret; public types (suffix "_public") authenticate with
// `none` and must use PKCE.
enum class ClientType { kFirstParty, kFirstPartyPublic, kThirdParty, kThirdPartyPublic };

// "first_party", "first_party_public", "third_party", "third_party_public".
std::string_view ClientTypeName(ClientType type);
std::optional<ClientType> ParseClientType(std::string_view name);
// True for kFirstPartyPublic and kThirdPartyPublic.
bool IsPublic(ClientType type);
// True for kFirstParty and kFirstPartyPublic.
bool IsFirstParty(ClientType type);

// How the client came to exist: "api", "dynamic_registration", "client_id_metadata_document".
enum class CreationMethod { kApi, kDynamicRegistration, kClientIdMetadataDocument };
std::string_view CreationMethodName(CreationMethod method);
std::optional<CreationMethod> ParseCreationMethod(std::string_view name);

// The deployment's environment: "test" relaxes redirect URI rules for development (see
// redirect_uri_policy.h); "live" is strict.
enum class Environment { kTest, kLive };
std::string_view EnvironmentName(Environment environment);
std::optional<Environment> ParseEnvironment(std::string_view name);

// OIDC Dynamic Registration application_type: "web" (the default) or "native" (RFC 8252 apps).
enum class ApplicationType { kWeb, kNative };
std::string_view ApplicationTypeName(ApplicationType type);
std::optional<ApplicationType> ParseApplicationType(std::string_view name);

// "active" clients are served; "disabled" ones are treated like unknown clients by the protocol
// endpoints but remain visible to the management API.
enum class ClientStatus { kActive, kDisabled };
std::string_view ClientStatusName(ClientStatus status);
std::optional<ClientStatus> ParseClientStatus(std::string_view name);

// Every member has a default initializer so that designated initializers may name only the
// fields they set (GCC's -Wmissing-field-initializers would reject them otherwise).
struct Client {
  std::string client_id{};
  ClientType client_type = ClientType::kThirdParty;
  CreationMethod creation_method = CreationMethod::kApi;
  std::string client_name{};
  std::string client_description{};
  std::vector<std::string> redirect_uris{};  // exact strings, in registration order
  std::vector<std::string> post_logout_redirect_uris{};
  std::string logo_url{};            // empty when none
  std::string client_uri{};          // empty when none
  bool full_access_allowed = false;  // first-party only: may request `full_access`
  bool bypass_consent_for_offline_access = false;
  std::optional<int64_t> access_token_expiry_minutes{};  // nullopt: the server default
  std::optional<std::string> access_token_custom_audience{};
  std::optional<std::string> access_token_template_content{};  // JSON template for custom claims
  std::optional<std::string> id_token_template_content{};      // likewise, for its ID tokens
  std::optional<std::string> client_id_metadata_url{};         // CIMD clients: the document URL
  ApplicationType application_type = ApplicationType::kWeb;
  std::string secret_hash{};       // keyed hash of the current secret; empty for public clients
  std::string secret_last_four{};  // last four characters of the current secret, for display
  std::optional<std::string> next_secret_hash{};       // set while a secret rotation is in progress
  std::optional<std::string> next_secret_last_four{};  // likewise
  ClientStatus status = ClientStatus::kActive;
  int64_t created_at = 0;  // Unix seconds
  int64_t updated_at = 0;  // Unix seconds

  bool operator==(const Client&) const = default;
};

// The RFC 7591 token_endpoint_auth_method the client is registered with: "none" for public clients,
// "client_secret_basic" for confidential ones. Confidential clients may equally use
// `client_secret_post`; the token endpoint accepts both, this names the advertised default.
std::string TokenEndpointAuthMethod(const Client& client);

}  // namespace gatehouse::core
