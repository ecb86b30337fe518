#include "crypto/keyring.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <set>
#include <string>

namespace gatehouse::crypto {
namespace {

constexpr int64_t kNow = 1'700'000'000;

SigningKey NewKey() { return SigningKey::Generate(Algorithm::kEdDsa); }

std::set<std::string> JwksKids(const Keyring& ring) {
  auto jwks = boost::json::parse(ring.JwksJson()).as_object();
  std::set<std::string> kids;
  for (const auto& key : jwks.at("keys").as_array()) {
    const auto& jwk = key.as_object();
    EXPECT_FALSE(jwk.contains("d"));
    kids.insert(std::string(jwk.at("kid").as_string()));
  }
  return kids;
}

TEST(KeyringTest, PublishesNextCurrentAndUnexpiredRetiredKeys) {
  SigningKey next = NewKey(), current = NewKey(), retired = NewKey(), expired = NewKey();
  auto ring = Keyring::Create({{next, KeyState::kNext, 0},
                               {retired, KeyState::kRetired, kNow + 3600},
                               {current, KeyState::kCurrent, 0},
                               {expired, KeyState::kRetired, kNow}},
                              kNow);
  ASSERT_TRUE(ring.has_value()) << ring.error().description();
  const Keyring& keyring = **ring;
  ASSERT_NE(keyring.Current(), nullptr);
  EXPECT_EQ(keyring.Current()->kid(), current.kid());
  EXPECT_EQ(JwksKids(keyring), (std::set<std::string>{next.kid(), current.kid(), retired.kid()}));
  for (const SigningKey* key : {&next, &current, &retired}) {
    const VerificationKey* found = keyring.Find(key->kid());
    ASSERT_NE(found, nullptr);
    EXPECT_TRUE(found->Verify(Algorithm::kEdDsa, "x", key->Sign("x")));
  }
  EXPECT_EQ(keyring.Find(expired.kid()), nullptr);
  EXPECT_EQ(keyring.Find("unknown"), nullptr);
  EXPECT_EQ(keyring.Find(""), nullptr);
  EXPECT_EQ(keyring.Entries().size(), 4u);
}

TEST(KeyringTest, ListsTheCurrentKeyFirst) {
  SigningKey next = NewKey(), current = NewKey();
  auto ring = Keyring::Create({{next, KeyState::kNext, 0}, {current, KeyState::kCurrent, 0}}, kNow);
  ASSERT_TRUE(ring.has_value());
  auto jwks = boost::json::parse((*ring)->JwksJson()).as_object();
  EXPECT_EQ(jwks.at("keys").as_array().at(0).as_object().at("kid").as_string(), current.kid());
}

TEST(KeyringTest, MayHaveNoCurrentKey) {
  auto empty = Keyring::Create({}, kNow);
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ((*empty)->Current(), nullptr);
  EXPECT_EQ((*empty)->JwksJson(), R"({"keys":[]})");
  auto only_next = Keyring::Create({{NewKey(), KeyState::kNext, 0}}, kNow);
  ASSERT_TRUE(only_next.has_value());
  EXPECT_EQ((*only_next)->Current(), nullptr);
}

TEST(KeyringTest, RejectsDuplicateKidsAndTwoCurrentKeys) {
  SigningKey key = NewKey();
  auto duplicate =
      Keyring::Create({{key, KeyState::kCurrent, 0}, {key, KeyState::kRetired, kNow + 60}}, kNow);
  ASSERT_FALSE(duplicate.has_value());
  EXPECT_EQ(duplicate.error().code(), core::ErrorCode::kServerError);
  auto two_current =
      Keyring::Create({{NewKey(), KeyState::kCurrent, 0}, {NewKey(), KeyState::kCurrent, 0}}, kNow);
  EXPECT_FALSE(two_current.has_value());
}

TEST(KeyringTest, MixesAlgorithms) {
  SigningKey rsa = SigningKey::Generate(Algorithm::kRs256);
  SigningKey ec = SigningKey::Generate(Algorithm::kEs256);
  auto ring = Keyring::Create({{rsa, KeyState::kCurrent, 0}, {ec, KeyState::kNext, 0}}, kNow);
  ASSERT_TRUE(ring.has_value());
  EXPECT_EQ((*ring)->Find(rsa.kid())->algorithm(), Algorithm::kRs256);
  EXPECT_EQ((*ring)->Find(ec.kid())->algorithm(), Algorithm::kEs256);
  EXPECT_EQ(JwksKids(**ring).size(), 2u);
}

TEST(KeyStateTest, Names) {
  EXPECT_EQ(KeyStateName(KeyState::kNext), "next");
  EXPECT_EQ(KeyStateName(KeyState::kCurrent), "current");
  EXPECT_EQ(KeyStateName(KeyState::kRetired), "retired");
}

}  // namespace
}  // namespace gatehouse::crypto
