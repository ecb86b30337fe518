// Fuzz target: core::ParseAuthorizationRequest on arbitrary parameter pairs, against a client
// picked by the first input byte (type, environment, status, application type, registered
// redirect URIs). The rest of the input is "name=value" lines (split at the first '='; no
// decoding, so the fuzzer reaches any byte). Invariants:
//   - an error is redirectable exactly when it carries a redirect URI, and that URI matches one
//     the client registered (an untrusted URI is never a redirect target);
//   - an accepted request is for this active client, response_type "code", a redirect URI that
//     matches a registered one, PKCE S256 whenever a challenge is set and always for public
//     clients, and full_access only for first-party clients allowed it.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/authorization_request.h"
#include "core/client.h"
#include "core/redirect_uri_policy.h"
#include "core/scope.h"
#include "fuzz/fuzz_check.h"

namespace {

using gatehouse::core::AuthorizationParams;
using gatehouse::core::Client;
using gatehouse::core::ClientStatus;
using gatehouse::core::ClientType;
using gatehouse::core::Environment;

Client ClientFor(uint8_t selector) {
  static constexpr ClientType kTypes[] = {ClientType::kFirstParty, ClientType::kFirstPartyPublic,
                                          ClientType::kThirdParty, ClientType::kThirdPartyPublic};
  static const std::vector<std::vector<std::string>> kRedirectSets = {
      {"https://rp.example/cb"},
      {"http://127.0.0.1/callback"},
      {"https://rp.example/cb", "https://rp.example/cb2?x=1"},
      {"com.example.app:/oauth2redirect", "http://[::1]:8080/cb"},
  };
  Client client;
  client.client_id = "client-test-1";
  client.client_type = kTypes[selector & 3];
  client.redirect_uris = kRedirectSets[(selector >> 2) & 3];
  client.full_access_allowed = (selector & 0x10) != 0;
  client.status = (selector & 0x20) != 0 ? ClientStatus::kDisabled : ClientStatus::kActive;
  client.application_type = (selector & 0x80) != 0 ? gatehouse::core::ApplicationType::kNative
                                                   : gatehouse::core::ApplicationType::kWeb;
  return client;
}

bool MatchesRegistered(const Client& client, std::string_view uri) {
  for (const std::string& registered : client.redirect_uris) {
    if (gatehouse::core::RedirectUriMatches(registered, uri, client.application_type)) return true;
  }
  return false;
}

AuthorizationParams ParamsFrom(std::string_view text) {
  AuthorizationParams params;
  while (!text.empty()) {
    const size_t newline = text.find('\n');
    const std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    const size_t eq = line.find('=');
    params.emplace_back(std::string(line.substr(0, eq)), eq == std::string_view::npos
                                                             ? std::string()
                                                             : std::string(line.substr(eq + 1)));
  }
  return params;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const Client client = ClientFor(data[0]);
  const Environment environment = (data[0] & 0x40) != 0 ? Environment::kLive : Environment::kTest;
  const AuthorizationParams params = ParamsFrom(gatehouse::fuzz::AsText(data + 1, size - 1));

  const auto client_id = gatehouse::core::AuthorizationClientId(params);
  if (client_id) FUZZ_CHECK(!client_id->empty());

  const auto result = gatehouse::core::ParseAuthorizationRequest(params, client, environment);
  if (!result) {
    const auto& error = result.error();
    FUZZ_CHECK(error.redirectable == error.redirect_uri.has_value());
    if (error.redirect_uri) FUZZ_CHECK(MatchesRegistered(client, *error.redirect_uri));
    if (error.state) FUZZ_CHECK(error.redirectable);
    return 0;
  }
  const auto& request = *result;
  FUZZ_CHECK(client.status == ClientStatus::kActive);
  FUZZ_CHECK(request.client_id == client.client_id);
  FUZZ_CHECK(client_id && *client_id == client.client_id);
  FUZZ_CHECK(request.response_type == "code");
  FUZZ_CHECK(MatchesRegistered(client, request.redirect_uri));
  if (request.code_challenge) FUZZ_CHECK(request.code_challenge_method == "S256");
  if (gatehouse::core::IsPublic(client.client_type)) FUZZ_CHECK(request.code_challenge.has_value());
  if (request.scope.Contains(gatehouse::core::kScopeFullAccess)) {
    FUZZ_CHECK(gatehouse::core::IsFirstParty(client.client_type) && client.full_access_allowed);
  }
  if (request.max_age) FUZZ_CHECK(*request.max_age >= 0);
  if (request.prompt.none) {
    FUZZ_CHECK(!request.prompt.login && !request.prompt.consent && !request.prompt.select_account);
  }
  return 0;
}
