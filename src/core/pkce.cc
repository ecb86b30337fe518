#include "core/pkce.h"

#include <algorithm>
#include <cassert>

namespace gatehouse::core {
namespace {

constexpr size_t kChallengeLength = 43;  // base64url of 32 bytes, unpadded
constexpr size_t kMinVerifierLength = 43;
constexpr size_t kMaxVerifierLength = 128;

bool IsAlphaNumeric(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool IsBase64UrlChar(char c) { return IsAlphaNumeric(c) || c == '-' || c == '_'; }

// RFC 3986 unreserved characters, the code_verifier alphabet.
bool IsUnreservedChar(char c) { return IsBase64UrlChar(c) || c == '.' || c == '~'; }

int Base64UrlValue(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  return c == '-' ? 62 : 63;
}

// 43 characters carry 258 bits; the last character's two low bits lie beyond the 256-bit digest
// and are zero in every genuine S256 challenge.
bool IsS256Challenge(std::string_view challenge) {
  return challenge.size() == kChallengeLength &&
         std::all_of(challenge.begin(), challenge.end(), IsBase64UrlChar) &&
         (Base64UrlValue(challenge.back()) & 0x3) == 0;
}

// The challenge is not secret, but comparing without early exit costs nothing and leaves no timing
// signal about how much of a guessed verifier was right.
bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return diff == 0;
}

}  // namespace

Result<void> ValidateCodeChallenge(std::optional<std::string_view> challenge,
                                   std::optional<std::string_view> method, bool client_is_public) {
  if (method) {
    if (*method == "plain") {
      return Error(ErrorCode::kInvalidRequest,
                   "code_challenge_method plain is not supported; use S256");
    }
    if (*method != kCodeChallengeMethodS256) {
      return Error(ErrorCode::kInvalidRequest,
                   "unsupported code_challenge_method; only S256 is supported");
    }
    if (!challenge) {
      return Error(ErrorCode::kInvalidRequest, "code_challenge_method sent without code_challenge");
    }
  }
  if (!challenge) {
    if (client_is_public) {
      return Error(ErrorCode::kInvalidRequest, "code_challenge required for public clients");
    }
    return {};
  }
  if (!method) {
    return Error(ErrorCode::kInvalidRequest, "code_challenge_method required; use S256");
  }
  if (!IsS256Challenge(*challenge)) {
    return Error(ErrorCode::kInvalidRequest,
                 "code_challenge must be the 43-character base64url SHA-256 of the verifier");
  }
  return {};
}

Result<void> ValidateCodeVerifierSyntax(std::string_view verifier) {
  if (verifier.size() < kMinVerifierLength || verifier.size() > kMaxVerifierLength ||
      !std::all_of(verifier.begin(), verifier.end(), IsUnreservedChar)) {
    return Error(ErrorCode::kInvalidRequest,
                 "code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~");
  }
  return {};
}

Result<void> CheckPkceAtTokenEndpoint(
    std::optional<std::string_view> stored_challenge, std::optional<std::string_view> verifier,
    const std::function<std::string(std::string_view)>& s256_base64url) {
  if (!stored_challenge) {
    if (verifier) {
      return Error(ErrorCode::kInvalidGrant,
                   "code_verifier sent but the authorization request had no code_challenge");
    }
    return {};
  }
  if (!verifier) return Error(ErrorCode::kInvalidGrant, "code_verifier required");
  if (auto syntax = ValidateCodeVerifierSyntax(*verifier); !syntax) return syntax;
  assert(s256_base64url);
  if (!ConstantTimeEquals(s256_base64url(*verifier), *stored_challenge)) {
    return Error(ErrorCode::kInvalidGrant, "code_verifier does not match the code_challenge");
  }
  return {};
}

}  // namespace gatehouse::core
