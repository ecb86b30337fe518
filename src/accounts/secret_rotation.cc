#include "accounts/secret_rotation.h"

namespace gatehouse::accounts {

core::Result<void> SecretRotationResult(store::RotationOutcome outcome, core::Error not_found) {
  using core::Error;
  using core::ErrorCode;
  switch (outcome) {
    case store::RotationOutcome::kDone:
      return {};
    case store::RotationOutcome::kNotFound:
      return not_found;
    case store::RotationOutcome::kPublicClient:
      return Error(ErrorCode::kBadRequest, "public clients have no client secret to rotate");
    case store::RotationOutcome::kAlreadyStarted:
      return Error(ErrorCode::kConflict,
                   "a secret rotation is already in progress: complete or cancel it first");
    case store::RotationOutcome::kNotStarted:
      return Error(ErrorCode::kConflict,
                   "no secret rotation is in progress: start one with secrets/rotate/start");
  }
  return Error(ErrorCode::kServerError, "unexpected rotation outcome");
}

}  // namespace gatehouse::accounts
