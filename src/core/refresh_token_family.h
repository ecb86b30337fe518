#pragma once
// RefreshTokenFamily: what a presented refresh token may still do. Every refresh token belongs to
// the family of its grant; this type names the family rule and decides, from the stored state of
// the presented token, the client type, the time and the settings, which step the refresh grant
// takes. It never touches storage: the caller carries the step out with one atomic store
// operation (store/refresh_token_repository.h) and, when that operation finds the token changed
// since it was read (a concurrent request won), asks AfterLostRace for the next step.
//
// The rule, in order:
//   1. A revoked token, or one whose expiry has come (expires_at <= now), is refused.
//   2. Confidential clients keep their token: each use extends its expiry to now +
//      token_ttl_seconds (kKeep). The store extends only a current token; one rotated or revoked
//      meanwhile is refused (AfterLostRace).
//   3. Public clients rotate on every use: a current token is replaced by a new one that expires at
//      now + token_ttl_seconds (kRotate).
//   4. A rotated-out token is a replay, and the whole family is revoked (kRevokeFamily: every
//      branch, the grant and its access tokens), except the grace retry: the exact previous token
//      (its successor is still current: neither rotated nor revoked), rotated at most
//      grace_seconds ago (rotated_at >= now - grace_seconds) and never retried before, may be
//      retried once (kRetryWithinGrace). The retry issues a fresh token and leaves the successor
//      valid, so the family then has two live branches, each rotating on with the same rule.
// Lost races (AfterLostRace): a rotation that lost was rotated a moment ago by someone else, so
// it is tried as a grace retry; a grace retry that lost is a replay (kRevokeFamily); a keep that
// lost means the token was rotated or revoked meanwhile (refused). So of any number of parallel
// uses of one token, the original use and at most one grace retry succeed, and every further use
// is a replay that revokes the family, the winners' branches included: the store's conditional
// updates (one rotation, one grace retry per token) make that hold across processes.
//
// Decide answers kRefuse only under 1, so a caller may answer it at once and carry any other step
// out after its own checks. Refusals and replays carry the invalid_grant error the token endpoint
// answers. Immutable and thread-safe; pure (no clock of its own: the caller passes the request's
// `now`).

#include <cstdint>
#include <optional>

#include "core/client.h"
#include "core/error.h"

namespace gatehouse::core {

// The stored state of one refresh token that the rule reads. Times are Unix seconds.
struct RefreshTokenState {
  int64_t expires_at = 0;
  std::optional<int64_t> rotated_at{};  // set once a successor replaced it
  bool grace_used = false;              // its one grace retry has been spent
  // Its successor (when rotated) is still current: the token is the exact previous one.
  bool successor_current = false;
  std::optional<int64_t> revoked_at{};
};

enum class RefreshStep {
  kRefuse,            // answer `error`; nothing changes
  kKeep,              // extend the presented token to `expires_at` and hand it back
  kRotate,            // replace the presented token by a new one expiring at `expires_at`
  kRetryWithinGrace,  // the grace retry: a fresh token expiring at `expires_at`
  kRevokeFamily,      // a replay: revoke the grant with every token of it, then answer `error`
};

// kKeep, kRotate and kRetryWithinGrace are store operations, which may lose a race.
constexpr bool IsStoreStep(RefreshStep step) {
  return step == RefreshStep::kKeep || step == RefreshStep::kRotate ||
         step == RefreshStep::kRetryWithinGrace;
}

struct RefreshDecision {
  RefreshStep step = RefreshStep::kRefuse;
  int64_t expires_at = 0;        // kKeep, kRotate, kRetryWithinGrace
  std::optional<Error> error{};  // kRefuse, kRevokeFamily: invalid_grant
};

struct RefreshTokenFamilySettings {
  int64_t token_ttl_seconds = 0;
  int64_t grace_seconds = 0;
};

class RefreshTokenFamily {
 public:
  explicit RefreshTokenFamily(RefreshTokenFamilySettings settings) : settings_(settings) {}

  // The step for `token`, presented at `now` by a client of `client_type` it was issued to.
  RefreshDecision Decide(const RefreshTokenState& token, ClientType client_type, int64_t now) const;

  // The step after the store refused `attempted` because the token changed since it was read.
  // `attempted` is kKeep, kRotate or kRetryWithinGrace.
  RefreshDecision AfterLostRace(const RefreshDecision& attempted) const;

  const RefreshTokenFamilySettings& settings() const { return settings_; }

 private:
  const RefreshTokenFamilySettings settings_;
};

}  // namespace gatehouse::core
