// AuthenticateClient: client_secret_basic, client_secret_post and none.

#include "oauth/client_authentication.h"

#include <gtest/gtest.h>

#include "flow_test_support.h"

namespace gatehouse::oauth {
namespace {

using testing::kSecret;

class ClientAuthenticationTest : public testing::FlowTest {
 protected:
  ClientAuthenticationTest() {
    AddClient("conf", core::ClientType::kThirdParty);
    AddClient("pub", core::ClientType::kFirstPartyPublic);
  }

  ClientAuthentication Run(const std::string& body,
                           std::optional<std::string> authorization = std::nullopt) {
    http::Request request;
    request.method = "POST";
    if (authorization) request.headers.emplace_back("authorization", *authorization);
    return AuthenticateClient(request, http::ParseForm(body).value(), clients_);
  }

  static std::string Basic(const std::string& id, const std::string& secret) {
    return "Basic " + crypto::Base64Encode(id + ":" + secret);
  }
};

TEST_F(ClientAuthenticationTest, ClientSecretBasic) {
  auto auth = Run("", Basic("conf", std::string(kSecret)));
  ASSERT_TRUE(auth.ok());
  EXPECT_EQ(auth.client->client_id, "conf");
  EXPECT_EQ(auth.method, ClientAuthMethod::kClientSecretBasic);
  EXPECT_TRUE(auth.used_authorization_header);
}

TEST_F(ClientAuthenticationTest, ClientSecretPost) {
  auto auth = Run("client_id=conf&client_secret=" + std::string(kSecret));
  ASSERT_TRUE(auth.ok());
  EXPECT_EQ(auth.method, ClientAuthMethod::kClientSecretPost);
  EXPECT_FALSE(auth.used_authorization_header);
}

TEST_F(ClientAuthenticationTest, PublicClientWithClientIdOnly) {
  auto auth = Run("client_id=pub");
  ASSERT_TRUE(auth.ok());
  EXPECT_EQ(auth.method, ClientAuthMethod::kNone);
}

TEST_F(ClientAuthenticationTest, TwoMethodsAtOnceAreInvalidRequest) {
  auto auth = Run("client_secret=x", Basic("conf", std::string(kSecret)));
  ASSERT_FALSE(auth.ok());
  EXPECT_EQ(auth.error->code(), core::ErrorCode::kInvalidRequest);
}

TEST_F(ClientAuthenticationTest, DifferentClientIdInBodyAndHeaderIsInvalidRequest) {
  auto auth = Run("client_id=pub", Basic("conf", std::string(kSecret)));
  EXPECT_EQ(auth.error->code(), core::ErrorCode::kInvalidRequest);
}

TEST_F(ClientAuthenticationTest, FailuresAreInvalidClientAndRememberTheHeader) {
  auto wrong = Run("", Basic("conf", "nope"));
  EXPECT_EQ(wrong.error->code(), core::ErrorCode::kInvalidClient);
  EXPECT_TRUE(wrong.used_authorization_header);
  http::Response r = ClientAuthenticationErrorResponse(wrong);
  EXPECT_EQ(r.status, 401);
  EXPECT_TRUE(r.Header("WWW-Authenticate"));

  auto body = Run("client_id=conf&client_secret=nope");
  EXPECT_EQ(body.error->code(), core::ErrorCode::kInvalidClient);
  EXPECT_FALSE(ClientAuthenticationErrorResponse(body).Header("WWW-Authenticate"));

  EXPECT_EQ(Run("").error->code(), core::ErrorCode::kInvalidClient);
  EXPECT_EQ(Run("client_secret=x").error->code(), core::ErrorCode::kInvalidRequest);
  EXPECT_EQ(Run("client_id=unknown").error->code(), core::ErrorCode::kInvalidClient);
  EXPECT_EQ(Run("client_id=conf").error->code(), core::ErrorCode::kInvalidClient);
  EXPECT_EQ(Run("", "Basic !!!").error->code(), core::ErrorCode::kInvalidClient);
}

TEST_F(ClientAuthenticationTest, RepeatedClientIdIsInvalidRequest) {
  EXPECT_EQ(Run("client_id=pub&client_id=pub").error->code(), core::ErrorCode::kInvalidRequest);
}

}  // namespace
}  // namespace gatehouse::oauth
