#include "core/error.h"

#include <gtest/gtest.h>

#include "core/result.h"

namespace gatehouse::core {
namespace {

TEST(ErrorTest, MapsCodesToStatusInOnePlace) {
  EXPECT_EQ(HttpStatusFor(ErrorCode::kInvalidRequest), 400);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kInvalidClient), 401);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kNotFound), 404);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kPayloadTooLarge), 413);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kTemporarilyUnavailable), 503);
  EXPECT_EQ(ErrorCodeName(ErrorCode::kInvalidTarget), "invalid_target");
}

TEST(ErrorTest, DescriptionIsPrintableAsciiWithoutQuotesOrBackslashes) {
  Error e(ErrorCode::kInvalidRequest, "bad \"value\" \\ \n\x01\xff end");
  EXPECT_EQ(e.description(), "bad ?value? ? ??? end");
}

TEST(ResultTest, HoldsValueOrError) {
  Result<int> ok = 7;
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, 7);
  Result<int> bad = Error(ErrorCode::kInvalidGrant, "used");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().name(), "invalid_grant");
  Result<void> done;
  EXPECT_TRUE(done);
  Result<void> failed = Error(ErrorCode::kServerError, "x");
  EXPECT_FALSE(failed);
}

}  // namespace
}  // namespace gatehouse::core
