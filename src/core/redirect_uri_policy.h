#pragma once
// RedirectUriPolicy: which redirect URIs a client may register, and whether a redirect_uri sent to
// the authorization endpoint is one of them. Pure functions; thread-safe.
//
// Registration (ValidateRedirectUriForRegistration) returns kInvalidRedirectUri with a description
// naming the problem. Every URI must be absolute, at most kMaxRedirectUriLength bytes, and have no
// fragment, no userinfo, no '*' and no percent-encoding in the host. Then, by scheme:
//   https          allowed, with a non-empty host. A confidential client in the live environment
//                  may not use a loopback host (127.0.0.1, [::1], localhost).
//   http           only with a loopback host, and only for public clients; the test environment
//                  also allows it for confidential clients (local development).
//   private-use    RFC 8252 §7.1: a scheme containing '.', e.g. com.example.app:/cb; only for
//                  public clients or application_type native, never for a confidential client in
//                  live (the design requires HTTPS there).
//   anything else  refused; javascript:, data:, file:, vbscript:, blob:, about: and the like are
//                  named as dangerous in the description.
// Loopback means exactly the hosts 127.0.0.1, [::1] and localhost (any case). Other 127/8 addresses
// and other spellings of ::1 are not loopback for this policy.
//
// Matching (RedirectUriMatches) is exact string comparison, never normalised: case,
// percent-encoding, trailing slashes and dot segments all make a mismatch. The one exception is
// RFC 8252 §7.3, and only for native applications (application_type native): when the registered
// URI is http with a loopback host, the requested URI may carry any port (or none), with scheme,
// host, path and query still compared exactly. A web application's loopback URI is a development
// server on a fixed port: another port on the user's machine may be anyone's, so it must match
// exactly, port included.
//
// Application types: DefaultApplicationType is the type of a client created without one (native
// for public clients, which are apps on the user's device; web for confidential ones, which are
// servers). IsNativeRedirectUri recognises the redirect URIs only native apps use (http on a
// loopback host, private-use schemes); registration infers the type from them.
//
// Resolution (ResolveRedirectUri) applies the authorization endpoint's rules: redirect_uri is
// required when several URIs are registered and always when `openid` is requested; when absent and
// exactly one is registered, that one is used. It returns std::nullopt when no trusted URI results;
// the caller then shows an error page and never redirects.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/client.h"
#include "core/result.h"

namespace gatehouse::core {

inline constexpr size_t kMaxRedirectUriLength = 2048;

Result<void> ValidateRedirectUriForRegistration(std::string_view uri, ClientType client_type,
                                                Environment environment,
                                                ApplicationType application_type);

// True when `requested` denotes the registered URI `registered` for a client of
// `application_type` (see the header comment).
bool RedirectUriMatches(std::string_view registered, std::string_view requested,
                        ApplicationType application_type);

// The redirect URI to use: the requested one when it matches a registered URI (for a native
// app's loopback URIs this keeps the requested port), the sole registered URI when none was
// requested and `openid` is not requested, std::nullopt otherwise. Callers pass std::nullopt for
// an empty redirect_uri.
std::optional<std::string> ResolveRedirectUri(const std::vector<std::string>& registered,
                                              std::optional<std::string_view> requested,
                                              bool openid_requested,
                                              ApplicationType application_type);

// True for 127.0.0.1, [::1] and localhost (ASCII case-insensitive), as written in a URI's host.
bool IsLoopbackHost(std::string_view encoded_host);

// True for the redirect URIs of RFC 8252 native apps: http with a loopback host, or a private-use
// scheme (one containing '.'). Says nothing about whether the URI is acceptable otherwise.
bool IsNativeRedirectUri(std::string_view uri);

// kNative for public client types, kWeb for confidential ones.
ApplicationType DefaultApplicationType(ClientType client_type);

}  // namespace gatehouse::core
