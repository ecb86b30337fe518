#include "core/pkce.h"

#include <gtest/gtest.h>

#include <string>

namespace gatehouse::core {
namespace {

// RFC 7636 Appendix B.
constexpr std::string_view kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
constexpr std::string_view kChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

// A known-answer stand-in for BASE64URL(SHA-256(x)): core has no SHA-256.
std::string KnownAnswerS256(std::string_view input) {
  if (input == kVerifier) return std::string(kChallenge);
  return "not-the-challenge-" + std::string(input);
}

ErrorCode CodeOf(const Result<void>& result) {
  EXPECT_FALSE(result);
  return result ? ErrorCode::kServerError : result.error().code();
}

// --- Authorization endpoint ---------------------------------------------------------------------

TEST(PkceChallengeTest, S256ChallengeIsAccepted) {
  EXPECT_TRUE(ValidateCodeChallenge(kChallenge, "S256", true));
  EXPECT_TRUE(ValidateCodeChallenge(kChallenge, "S256", false));
}

TEST(PkceChallengeTest, PlainMethodIsRefused) {
  auto result = ValidateCodeChallenge(kVerifier, "plain", true);
  EXPECT_EQ(CodeOf(result), ErrorCode::kInvalidRequest);
  EXPECT_NE(result.error().description().find("plain"), std::string::npos);
  EXPECT_EQ(CodeOf(ValidateCodeChallenge(kChallenge, "plain", false)), ErrorCode::kInvalidRequest);
}

TEST(PkceChallengeTest, UnknownMethodIsRefused) {
  for (std::string_view method : {"s256", "S512", "SHA256", "S256 "}) {
    EXPECT_EQ(CodeOf(ValidateCodeChallenge(kChallenge, method, true)), ErrorCode::kInvalidRequest)
        << method;
  }
}

TEST(PkceChallengeTest, MethodWithoutChallengeIsRefused) {
  EXPECT_EQ(CodeOf(ValidateCodeChallenge(std::nullopt, "S256", true)), ErrorCode::kInvalidRequest);
  EXPECT_EQ(CodeOf(ValidateCodeChallenge(std::nullopt, "S256", false)), ErrorCode::kInvalidRequest);
}

TEST(PkceChallengeTest, ChallengeWithoutMethodIsRefusedBecauseItWouldMeanPlain) {
  EXPECT_EQ(CodeOf(ValidateCodeChallenge(kChallenge, std::nullopt, true)),
            ErrorCode::kInvalidRequest);
  EXPECT_EQ(CodeOf(ValidateCodeChallenge(kChallenge, std::nullopt, false)),
            ErrorCode::kInvalidRequest);
}

TEST(PkceChallengeTest, RequiredForPublicClients) {
  auto result = ValidateCodeChallenge(std::nullopt, std::nullopt, true);
  EXPECT_EQ(CodeOf(result), ErrorCode::kInvalidRequest);
  EXPECT_NE(result.error().description().find("code_challenge required"), std::string::npos);
}

TEST(PkceChallengeTest, OptionalForConfidentialClients) {
  EXPECT_TRUE(ValidateCodeChallenge(std::nullopt, std::nullopt, false));
}

TEST(PkceChallengeTest, ChallengeMustBe43Base64UrlCharacters) {
  EXPECT_EQ(CodeOf(ValidateCodeChallenge(kChallenge.substr(0, 42), "S256", true)),
            ErrorCode::kInvalidRequest);
  EXPECT_EQ(CodeOf(ValidateCodeChallenge(std::string(kChallenge) + "A", "S256", true)),
            ErrorCode::kInvalidRequest);
  EXPECT_EQ(CodeOf(ValidateCodeChallenge(std::string(kChallenge) + "=", "S256", true)),
            ErrorCode::kInvalidRequest);
  std::string standard_alphabet(kChallenge);
  standard_alphabet[42 - 1] = '+';
  EXPECT_EQ(CodeOf(ValidateCodeChallenge(standard_alphabet, "S256", true)),
            ErrorCode::kInvalidRequest);
  EXPECT_EQ(CodeOf(ValidateCodeChallenge("", "S256", true)), ErrorCode::kInvalidRequest);
}

TEST(PkceChallengeTest, ChallengeMustBeAPossibleSha256Encoding) {
  std::string impossible(kChallenge);
  impossible.back() = 'N';  // low bits set: no 32-byte value encodes to this
  EXPECT_EQ(CodeOf(ValidateCodeChallenge(impossible, "S256", true)), ErrorCode::kInvalidRequest);
  std::string possible(kChallenge);
  possible.back() = 'A';
  EXPECT_TRUE(ValidateCodeChallenge(possible, "S256", true));
}

// --- Verifier syntax ----------------------------------------------------------------------------

TEST(PkceVerifierTest, FortyThreeToOneHundredTwentyEightUnreservedCharacters) {
  EXPECT_TRUE(ValidateCodeVerifierSyntax(kVerifier));
  EXPECT_TRUE(ValidateCodeVerifierSyntax(std::string(43, 'a')));
  EXPECT_TRUE(ValidateCodeVerifierSyntax(std::string(128, '~')));
  EXPECT_TRUE(ValidateCodeVerifierSyntax(
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"));
}

TEST(PkceVerifierTest, TooShortOrTooLongIsRefused) {
  EXPECT_EQ(CodeOf(ValidateCodeVerifierSyntax(std::string(42, 'a'))), ErrorCode::kInvalidRequest);
  EXPECT_EQ(CodeOf(ValidateCodeVerifierSyntax(std::string(129, 'a'))), ErrorCode::kInvalidRequest);
  EXPECT_EQ(CodeOf(ValidateCodeVerifierSyntax("")), ErrorCode::kInvalidRequest);
}

TEST(PkceVerifierTest, CharactersOutsideUnreservedAreRefused) {
  for (char c : {'+', '/', '=', ' ', '%', '\0', '\x80'}) {
    std::string verifier(43, 'a');
    verifier[10] = c;
    EXPECT_EQ(CodeOf(ValidateCodeVerifierSyntax(verifier)), ErrorCode::kInvalidRequest);
  }
}

// --- Token endpoint -----------------------------------------------------------------------------

TEST(PkceTokenEndpointTest, NoChallengeAndNoVerifierIsFine) {
  EXPECT_TRUE(CheckPkceAtTokenEndpoint(std::nullopt, std::nullopt, KnownAnswerS256));
}

TEST(PkceTokenEndpointTest, VerifierWithoutStoredChallengeIsADowngrade) {
  EXPECT_EQ(CodeOf(CheckPkceAtTokenEndpoint(std::nullopt, kVerifier, KnownAnswerS256)),
            ErrorCode::kInvalidGrant);
}

TEST(PkceTokenEndpointTest, StoredChallengeWithoutVerifierIsRefused) {
  EXPECT_EQ(CodeOf(CheckPkceAtTokenEndpoint(kChallenge, std::nullopt, KnownAnswerS256)),
            ErrorCode::kInvalidGrant);
}

TEST(PkceTokenEndpointTest, MatchingVerifierIsAccepted) {
  EXPECT_TRUE(CheckPkceAtTokenEndpoint(kChallenge, kVerifier, KnownAnswerS256));
}

TEST(PkceTokenEndpointTest, MismatchingVerifierIsRefused) {
  const std::string other(43, 'x');
  EXPECT_EQ(CodeOf(CheckPkceAtTokenEndpoint(kChallenge, other, KnownAnswerS256)),
            ErrorCode::kInvalidGrant);
}

TEST(PkceTokenEndpointTest, VerifierEqualToChallengeIsRefused) {
  // The `plain` method in disguise: the challenge itself is not a verifier.
  EXPECT_EQ(CodeOf(CheckPkceAtTokenEndpoint(kChallenge, kChallenge, KnownAnswerS256)),
            ErrorCode::kInvalidGrant);
}

TEST(PkceTokenEndpointTest, MalformedVerifierIsRefusedWithoutHashing) {
  bool hashed = false;
  auto spy = [&hashed](std::string_view input) {
    hashed = true;
    return KnownAnswerS256(input);
  };
  EXPECT_EQ(CodeOf(CheckPkceAtTokenEndpoint(kChallenge, "short", spy)), ErrorCode::kInvalidRequest);
  EXPECT_FALSE(hashed);
}

}  // namespace
}  // namespace gatehouse::core
