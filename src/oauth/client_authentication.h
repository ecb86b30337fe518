#pragma once
// Client authentication at the token endpoint (and the other endpoints clients call directly):
// client_secret_basic, client_secret_post, and `none` for public clients (client_id only).
//
// Rules (RFC 6749 §2.3, OAuth 2.1 §2.4):
//  - An `Authorization: Basic` header carries client_id:client_secret (form-urldecoded halves).
//    A client_secret in the body as well is two methods at once -> invalid_request; a client_id
//    in the body that differs from the header's -> invalid_request. Other schemes are ignored.
//  - Otherwise client_id (and for confidential clients client_secret) come from the body; each
//    may appear once (repeated -> invalid_request); a client_secret without client_id ->
//    invalid_request; no client_id at all -> invalid_client.
//  - Unknown or disabled client -> invalid_client. A public client must not present a secret
//    (invalid_client); a confidential client must present a valid one (ClientDirectory::
//    VerifySecret, constant time) -> invalid_client otherwise.
// Every failure reports whether the Authorization header was used, so the endpoint can answer
// 401 with `WWW-Authenticate: Basic` (RFC 6749 §5.2).
//
// M2M clients (AuthenticateM2mClient, for client_credentials) present their credentials by the
// same rules, and are always confidential: a secret is required and checked by
// M2mClients::VerifySecret (constant time; the current or, during a rotation, the next secret).
// An unknown client, a missing or wrong secret, and an inactive client (checked once the secret
// is right) are invalid_client.
//
// The endpoints clients call with a form (token, introspection, revocation) start alike:
// ReadFormBody checks the content type and parses the body; ReadClientForm adds the client's
// authentication. The endpoint adds its own headers (NoStore) to the error response it is given.
//
// Thread-safe (pure functions over thread-safe client stores).

#include <memory>
#include <optional>
#include <variant>

#include "accounts/client_directory.h"
#include "accounts/m2m_clients.h"
#include "core/client.h"
#include "core/error.h"
#include "core/result.h"
#include "http/form.h"
#include "http/message.h"

namespace gatehouse::oauth {

enum class ClientAuthMethod { kNone, kClientSecretBasic, kClientSecretPost };

struct ClientAuthentication {
  std::shared_ptr<const core::Client> client;  // set on success
  ClientAuthMethod method = ClientAuthMethod::kNone;
  std::optional<core::Error> error;  // set on failure
  bool used_authorization_header = false;

  bool ok() const { return !error.has_value(); }
};

ClientAuthentication AuthenticateClient(const http::Request& request, const http::FormParams& form,
                                        accounts::ClientDirectory& clients);

// The M2M client the request authenticates as, or the error to answer (see the header comment).
core::Result<std::shared_ptr<const store::M2mClient>> AuthenticateM2mClient(
    const http::Request& request, const http::FormParams& form, accounts::M2mClients& clients);

// Whether the request carries client credentials in an `Authorization: Basic` header: an
// invalid_client answer to it is then 401 with `WWW-Authenticate: Basic`.
bool UsesBasicAuthentication(const http::Request& request);

// The OAuth error response for a failed authentication: 401 with `WWW-Authenticate: Basic` for
// invalid_client when the header was used.
http::Response ClientAuthenticationErrorResponse(const ClientAuthentication& failure);

// The body of a form request: kInvalidRequest unless the content type is
// application/x-www-form-urlencoded and the body parses (http/form.h).
core::Result<http::FormParams> ReadFormBody(const http::Request& request);

// A form request from an authenticated client.
struct ClientForm {
  http::FormParams form;
  ClientAuthentication auth;  // ok(): client is set
};

// ReadFormBody, then AuthenticateClient. On failure, the OAuth error response to send:
// OAuthErrorResponse for the body, ClientAuthenticationErrorResponse for the authentication.
std::variant<ClientForm, http::Response> ReadClientForm(const http::Request& request,
                                                        accounts::ClientDirectory& clients);

}  // namespace gatehouse::oauth
