#pragma once
// What every hosted page (login, consent, logout, account) sends to keep browsers safe: no
// framing (X-Frame-Options and CSP frame-ancestors), no script, styles only from our own
// stylesheet, logos over https, no caching, no referrer; and the shape check of the anti-CSRF
// token the pages echo in their forms. Pure functions; thread-safe.

#include <cstddef>
#include <string_view>

#include "http/message.h"

namespace gatehouse::ui {

inline constexpr size_t kCsrfTokenLength = 43;  // crypto::RandomToken(32 bytes)

// `restrict_form_action` adds form-action 'self'. The authorization pages leave it out: Chromium
// applies it to the redirects that follow a form post, and the consent form's 303 leads to the
// client's redirect URI on another origin.
void AddPageSecurityHeaders(http::Response& response, bool restrict_form_action);

// True when `text` looks like a token the pages issue (43 base64url characters).
bool IsCsrfTokenShape(std::string_view text);

}  // namespace gatehouse::ui
