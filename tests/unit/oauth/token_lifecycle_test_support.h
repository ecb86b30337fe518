#pragma once
// FlowTest plus the token-lifecycle endpoints (introspection, revocation, session exchange), for
// their unit suites. Header-only; one fixture per test.

#include <string>
#include <utility>
#include <vector>

#include "flow_test_support.h"
#include "oauth/introspection_endpoint.h"
#include "oauth/revocation_endpoint.h"
#include "oauth/session_exchange.h"

namespace gatehouse::testing {

class TokenLifecycleTest : public FlowTest {
 protected:
  TokenLifecycleTest()
      : inspector_(settings_, keys_, db(), clock_),
        introspection_(settings_, clients_, inspector_, db(), clock_),
        revocation_(clients_, inspector_, db(), clock_),
        exchange_(inspector_, clients_, users_, db(), clock_) {}

  // A confidential first-party client allowed full_access.
  void AddFirstPartyClient(const std::string& client_id, bool full_access_allowed = true) {
    InsertTestClient(db(), client_id, "first_party");
    clients_.Add(core::Client{.client_id = client_id,
                              .client_type = core::ClientType::kFirstParty,
                              .client_name = "First " + client_id,
                              .redirect_uris = {"https://app.example.com/cb"},
                              .full_access_allowed = full_access_allowed},
                 std::string(kSecret));
  }

  // Runs the flow for `client_id` and returns the token response.
  boost::json::object Tokens(const std::string& client_id,
                             const std::string& scope = "openid offline_access email") {
    http::Response response = Exchange(client_id, AuthorizeCode(client_id, scope));
    EXPECT_EQ(response.status, 200) << response.body;
    return JsonBody(response);
  }

  // Introspects `token` as `caller` (client_secret_basic).
  http::Response Introspect(const std::string& token, const std::string& caller,
                            std::optional<std::string> hint = std::nullopt) {
    FormFields form{{"token", token}};
    if (hint) form.emplace_back("token_type_hint", *hint);
    return introspection_.Handle(
        FormPost("/v1/oauth2/introspect", form, std::pair{caller, std::string(kSecret)}));
  }

  // Revokes `token` as `caller`: client_secret_post for confidential clients, client_id alone
  // for public ones.
  http::Response Revoke(const std::string& token, const std::string& caller,
                        std::optional<std::string> hint = std::nullopt) {
    FormFields form{{"token", token}, {"client_id", caller}};
    if (hint) form.emplace_back("token_type_hint", *hint);
    auto client = clients_.Find(caller);
    if (client && !core::IsPublic((*client)->client_type)) {
      form.emplace_back("client_secret", std::string(kSecret));
    }
    return revocation_.Handle(FormPost("/v1/oauth2/revoke", form));
  }

  bool Active(const http::Response& introspection) {
    const boost::json::object body = JsonBody(introspection);
    const boost::json::value* active = body.if_contains("active");
    return active != nullptr && active->is_bool() && active->as_bool();
  }

  oauth::AccessTokenInspector inspector_;
  oauth::IntrospectionEndpoint introspection_;
  oauth::RevocationEndpoint revocation_;
  oauth::SessionExchange exchange_;
};

}  // namespace gatehouse::testing
