#pragma once
// PKCE (RFC 7636) as OAuth 2.1 profiles it: S256 only. Pure functions; thread-safe.
//
// At the authorization endpoint, ValidateCodeChallenge returns kInvalidRequest when:
//   - code_challenge_method is `plain` (downgrade-prone, refused) or any value other than `S256`;
//   - code_challenge_method is sent without code_challenge;
//   - code_challenge is sent without code_challenge_method (RFC 7636 would default to `plain`,
//     which is refused; being explicit avoids a silent meaning change);
//   - code_challenge is missing for a public client ("code_challenge required");
//   - code_challenge is not 43 base64url characters (the unpadded SHA-256 of S256) or its last
//     character carries bits a 32-byte value cannot have.
// A confidential client may omit both; when it sends them they are validated and later verified.
//
// At the token endpoint, CheckPkceAtTokenEndpoint returns kInvalidGrant when a code_verifier is
// sent for a code issued without a challenge (PKCE downgrade / code injection, RFC 9700 §4.8), when
// a challenge was stored but no verifier is sent, or when S256(verifier) differs from the
// challenge; kInvalidRequest when the verifier is malformed (ValidateCodeVerifierSyntax). Callers
// pass std::nullopt for absent or empty parameters.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace gatehouse::core {

inline constexpr std::string_view kCodeChallengeMethodS256 = "S256";

Result<void> ValidateCodeChallenge(std::optional<std::string_view> challenge,
                                   std::optional<std::string_view> method, bool client_is_public);

// kInvalidRequest unless `verifier` is 43 to 128 characters of [A-Za-z0-9-._~] (RFC 7636 §4.1).
Result<void> ValidateCodeVerifierSyntax(std::string_view verifier);

// `s256_base64url` computes BASE64URL(SHA-256(input)) without padding; it is injected because core
// has no cryptography. It must be callable.
Result<void> CheckPkceAtTokenEndpoint(
    std::optional<std::string_view> stored_challenge, std::optional<std::string_view> verifier,
    const std::function<std::string(std::string_view)>& s256_base64url);

}  // namespace gatehouse::core
