#include "accounts/password_hash.h"

#include <gtest/gtest.h>

#include <string>

namespace gatehouse::accounts {
namespace {

TEST(PasswordHasherTest, HashesAsArgon2idAndVerifies) {
  PasswordHasher hasher(MinimumPasswordCost());
  const std::string hash = hasher.Hash("correct horse battery staple");
  EXPECT_TRUE(hash.starts_with("$argon2id$"));
  EXPECT_TRUE(hasher.Verify("correct horse battery staple", hash));
  EXPECT_FALSE(hasher.Verify("correct horse battery stapl", hash));
  EXPECT_FALSE(hasher.Verify("", hash));
}

TEST(PasswordHasherTest, SaltsEveryHash) {
  PasswordHasher hasher(MinimumPasswordCost());
  EXPECT_NE(hasher.Hash("same password"), hasher.Hash("same password"));
}

TEST(PasswordHasherTest, RejectsMalformedHashesWithoutFailing) {
  PasswordHasher hasher(MinimumPasswordCost());
  EXPECT_FALSE(hasher.Verify("password", ""));
  EXPECT_FALSE(hasher.Verify("password", "not a hash"));
  EXPECT_FALSE(hasher.Verify("password", std::string(1000, '$')));
  EXPECT_FALSE(hasher.Verify("password", std::string("$argon2id$\0x", 12)));
  EXPECT_TRUE(hasher.NeedsRehash("not a hash"));
}

TEST(PasswordHasherTest, PasswordsWithNulBytesAreHashedWhole) {
  PasswordHasher hasher(MinimumPasswordCost());
  const std::string with_nul("abc\0def", 7);
  const std::string hash = hasher.Hash(with_nul);
  EXPECT_TRUE(hasher.Verify(with_nul, hash));
  EXPECT_FALSE(hasher.Verify("abc", hash));
}

TEST(PasswordHasherTest, NeedsRehashWhenTheParametersDiffer) {
  PasswordHasher weak(MinimumPasswordCost());
  PasswordHasher strong(
      PasswordHashCost{MinimumPasswordCost().ops_limit + 1, MinimumPasswordCost().mem_limit * 2});
  const std::string old_hash = weak.Hash("password1");
  EXPECT_FALSE(weak.NeedsRehash(old_hash));
  EXPECT_TRUE(strong.NeedsRehash(old_hash));
  // Hashes made under other parameters still verify.
  EXPECT_TRUE(strong.Verify("password1", old_hash));
}

TEST(PasswordHasherTest, InteractiveCostIsLibsodiumsInteractiveArgon2id) {
  const PasswordHashCost cost = InteractivePasswordCost();
  EXPECT_EQ(cost.ops_limit, 2u);
  EXPECT_EQ(cost.mem_limit, 64u * 1024 * 1024);
}

TEST(PasswordHasherTest, VerifyNothingRunsWithoutMatching) {
  PasswordHasher hasher(MinimumPasswordCost(), 1);
  hasher.VerifyNothing();
  // The slot it held is free again.
  EXPECT_TRUE(hasher.Verify("password1", hasher.Hash("password1")));
}

}  // namespace
}  // namespace gatehouse::accounts
