#pragma once
// IdTokenHintVerifier: reads the id_token_hint of RP-Initiated Logout (OpenID Connect
// RP-Initiated Logout 1.0 §2): an ID token this issuer signed, which names the client it was
// issued to and the user it was about. The hosted logout page acts on a hint without asking the
// user only when it passes here; a hint that does not is treated as if none had been sent.
//
// A hint passes when crypto::JwtVerifier accepts it against the issuer's published keys (next,
// current and retired-but-published: the snapshot's verification keys) with typ JWT, iss equal to
// the issuer, and no exp check (an expired ID token is still a valid hint, §2); and it carries a
// string `sub` and an audience naming one client: `aud` as a string, or an array with `azp` among
// its members (the client is then `azp`), or an array of one. Access tokens (typ at+jwt) and
// tokens of other issuers fail.
//
// Thread-safe: immutable after construction; `keys` is called once per Verify and must be
// thread-safe, `clock` must outlive the verifier. Failures are core::Error values (kInvalidToken
// with a description fit for logs), never exceptions.

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "crypto/jwt.h"
#include "crypto/keyring.h"

namespace gatehouse::oauth {

// What a valid hint says.
struct IdTokenHint {
  std::string client_id;  // the client the ID token was issued to
  std::string subject;    // `sub`: the user's id
};

class IdTokenHintVerifier {
 public:
  // The issuer's current keyring (accounts::SigningKeys::Snapshot in production); may return
  // null while no keys are loaded, which makes every hint invalid.
  using KeyringSource = std::function<std::shared_ptr<const crypto::Keyring>()>;

  IdTokenHintVerifier(std::string issuer, KeyringSource keys, const core::Clock& clock);

  core::Result<IdTokenHint> Verify(std::string_view hint) const;

 private:
  KeyringSource keys_;
  crypto::JwtVerifier verifier_;
};

}  // namespace gatehouse::oauth
