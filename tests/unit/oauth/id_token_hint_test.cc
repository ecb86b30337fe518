// IdTokenHintVerifier: which id_token_hint values the logout page may act on without asking.
#include "oauth/id_token_hint.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include <boost/json.hpp>

#include "crypto/encoding.h"
#include "crypto/keyring.h"
#include "crypto/signing_key.h"
#include "support/fake_clock.h"

namespace gatehouse::oauth {
namespace {

using crypto::Algorithm;
using crypto::KeyState;
using crypto::SigningKey;

constexpr std::string_view kIssuer = "https://auth.example.com";

const SigningKey& CurrentKey() {
  static const SigningKey key = SigningKey::Generate(Algorithm::kEs256);
  return key;
}
const SigningKey& RetiredKey() {
  static const SigningKey key = SigningKey::Generate(Algorithm::kEs256);
  return key;
}
const SigningKey& ForeignKey() {
  static const SigningKey key = SigningKey::Generate(Algorithm::kEs256);
  return key;
}

class IdTokenHintTest : public ::testing::Test {
 protected:
  IdTokenHintTest() { Publish(clock_.NowSeconds() + 3600); }

  // The current key, and the retired one published until `retired_until`.
  void Publish(int64_t retired_until) {
    keyring_ = crypto::Keyring::Create({{CurrentKey(), KeyState::kCurrent, 0},
                                        {RetiredKey(), KeyState::kRetired, retired_until}},
                                       clock_.NowSeconds())
                   .value();
  }

  // An ID token as TokenIssuer writes one.
  boost::json::object Claims() const {
    const int64_t now = clock_.NowSeconds();
    return boost::json::object{{"iss", kIssuer},    {"sub", "user-1"}, {"aud", "client-a"},
                               {"azp", "client-a"}, {"iat", now},      {"exp", now + 3600},
                               {"auth_time", now},  {"nonce", "n-1"}};
  }

  core::Result<IdTokenHint> Verify(std::string_view token) const { return verifier_.Verify(token); }

  testing::FakeClock clock_;
  std::shared_ptr<const crypto::Keyring> keyring_;
  IdTokenHintVerifier verifier_{std::string(kIssuer), [this] { return keyring_; }, clock_};
};

TEST_F(IdTokenHintTest, AnIdTokenWeSignedNamesItsClientAndUser) {
  const core::Result<IdTokenHint> hint = Verify(crypto::SignJwt(CurrentKey(), "JWT", Claims()));
  ASSERT_TRUE(hint) << hint.error().description();
  EXPECT_EQ(hint->client_id, "client-a");
  EXPECT_EQ(hint->subject, "user-1");
}

TEST_F(IdTokenHintTest, AnExpiredIdTokenIsStillAValidHint) {
  const std::string token = crypto::SignJwt(CurrentKey(), "JWT", Claims());
  clock_.Advance(std::chrono::hours(30 * 24));
  Publish(clock_.NowSeconds() + 3600);
  const core::Result<IdTokenHint> hint = Verify(token);
  ASSERT_TRUE(hint) << hint.error().description();
  EXPECT_EQ(hint->subject, "user-1");
}

TEST_F(IdTokenHintTest, ARetiredKeyCountsWhileItIsPublished) {
  const std::string token = crypto::SignJwt(RetiredKey(), "JWT", Claims());
  EXPECT_TRUE(Verify(token));
  clock_.Advance(std::chrono::hours(2));
  Publish(clock_.NowSeconds() - 1);  // its publication window has closed
  EXPECT_FALSE(Verify(token));
}

TEST_F(IdTokenHintTest, AForgedSignatureIsRefused) {
  EXPECT_FALSE(Verify(crypto::SignJwt(ForeignKey(), "JWT", Claims())));
  // Our kid on a foreign signature.
  const std::string ours = crypto::SignJwt(CurrentKey(), "JWT", Claims());
  const std::string theirs = crypto::SignJwt(ForeignKey(), "JWT", Claims());
  const std::string spliced = ours.substr(0, ours.rfind('.')) + theirs.substr(theirs.rfind('.'));
  EXPECT_FALSE(Verify(spliced));
  // alg none.
  const std::string unsigned_token =
      crypto::Base64UrlEncode(R"({"alg":"none","typ":"JWT"})") + "." +
      crypto::Base64UrlEncode(boost::json::serialize(Claims())) + ".";
  EXPECT_FALSE(Verify(unsigned_token));
  EXPECT_FALSE(Verify("not a token"));
}

TEST_F(IdTokenHintTest, AnotherIssuerOrAnAccessTokenIsRefused) {
  boost::json::object claims = Claims();
  claims["iss"] = "https://other.example.com";
  EXPECT_FALSE(Verify(crypto::SignJwt(CurrentKey(), "JWT", claims)));
  EXPECT_FALSE(Verify(crypto::SignJwt(CurrentKey(), "at+jwt", Claims())));
}

TEST_F(IdTokenHintTest, TheHintMustNameOneClientAndAUser) {
  boost::json::object no_sub = Claims();
  no_sub.erase("sub");
  EXPECT_FALSE(Verify(crypto::SignJwt(CurrentKey(), "JWT", no_sub)));

  boost::json::object with_azp = Claims();
  with_azp["aud"] = boost::json::array{"https://api.example.com", "client-a"};
  const core::Result<IdTokenHint> named = Verify(crypto::SignJwt(CurrentKey(), "JWT", with_azp));
  ASSERT_TRUE(named);
  EXPECT_EQ(named->client_id, "client-a");

  boost::json::object ambiguous = Claims();
  ambiguous.erase("azp");
  ambiguous["aud"] = boost::json::array{"client-a", "client-b"};
  EXPECT_FALSE(Verify(crypto::SignJwt(CurrentKey(), "JWT", ambiguous)));

  boost::json::object azp_elsewhere = Claims();
  azp_elsewhere["aud"] = boost::json::array{"client-b"};
  EXPECT_FALSE(Verify(crypto::SignJwt(CurrentKey(), "JWT", azp_elsewhere)));

  boost::json::object single = Claims();
  single.erase("azp");
  single["aud"] = boost::json::array{"client-c"};
  const core::Result<IdTokenHint> one = Verify(crypto::SignJwt(CurrentKey(), "JWT", single));
  ASSERT_TRUE(one);
  EXPECT_EQ(one->client_id, "client-c");
}

TEST_F(IdTokenHintTest, NoKeysMeansNoValidHint) {
  const std::string token = crypto::SignJwt(CurrentKey(), "JWT", Claims());
  keyring_ = nullptr;
  EXPECT_FALSE(Verify(token));
}

}  // namespace
}  // namespace gatehouse::oauth
