#pragma once
// SecretRotationResult: what a secret rotation step (start, complete, cancel) of a connected app or
// an M2M client tells its caller, from the repository's outcome. One wording for both kinds of
// client, so the management API answers a rotation out of order the same way for each.
//
// kDone → success; kNotFound → `not_found` (the caller names its kind of client); a public client →
// kBadRequest; a rotation started twice, or completed/cancelled before it started → kConflict.

#include "core/error.h"
#include "core/result.h"
#include "store/secret_rotation.h"

namespace gatehouse::accounts {

core::Result<void> SecretRotationResult(store::RotationOutcome outcome, core::Error not_found);

}  // namespace gatehouse::accounts
