#include "accounts/secret_rotation.h"

#include <gtest/gtest.h>

namespace gatehouse::accounts {
namespace {

using core::Error;
using core::ErrorCode;
using store::RotationOutcome;

const Error kNotFound(ErrorCode::kNotFound, "no client named x");

TEST(SecretRotationResultTest, DoneIsSuccess) {
  EXPECT_TRUE(SecretRotationResult(RotationOutcome::kDone, kNotFound));
}

TEST(SecretRotationResultTest, NotFoundIsTheCallersError) {
  auto result = SecretRotationResult(RotationOutcome::kNotFound, kNotFound);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(result.error().description(), "no client named x");
}

TEST(SecretRotationResultTest, OutOfOrderStepsAreConflicts) {
  auto twice = SecretRotationResult(RotationOutcome::kAlreadyStarted, kNotFound);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code(), ErrorCode::kConflict);
  EXPECT_NE(twice.error().description().find("already in progress"), std::string::npos);
  auto early = SecretRotationResult(RotationOutcome::kNotStarted, kNotFound);
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code(), ErrorCode::kConflict);
  EXPECT_NE(early.error().description().find("no secret rotation is in progress"),
            std::string::npos);
}

TEST(SecretRotationResultTest, PublicClientsHaveNoSecret) {
  auto result = SecretRotationResult(RotationOutcome::kPublicClient, kNotFound);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::kBadRequest);
}

}  // namespace
}  // namespace gatehouse::accounts
