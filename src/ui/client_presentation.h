#pragma once
// What the consent page says about a client, beyond its name: facts the user can check against
// what they expect (who published the app, where they will be sent, whether the app runs on
// their own device). Pure functions; thread-safe.

#include <optional>
#include <string>
#include <string_view>

#include "core/client.h"

namespace gatehouse::ui {

// The host of an absolute URI as written, without port ("app.example.com", "127.0.0.1",
// "[::1]"); for a URI without an authority (a private-use scheme such as com.example.app:/cb) the
// scheme, which is what identifies the receiving app. Empty when `uri` does not parse.
std::string UriHost(std::string_view uri);

// For a Client ID Metadata Document client, the host of its client_id URL: whoever controls that
// host published the document the consent page is built from. std::nullopt for other clients.
std::optional<std::string> PublisherHost(const core::Client& client);

// True when the client has redirect URIs and every one has a loopback host (127.0.0.1, [::1],
// localhost): any program on the user's machine could be the receiving app.
bool EveryRedirectUriIsLoopback(const core::Client& client);

// A logo URL safe to put in an <img src>: https only; std::nullopt otherwise.
std::optional<std::string> DisplayableLogoUrl(const core::Client& client);

// The first character (a whole UTF-8 sequence) of the client's name, upper-cased when ASCII, for
// the placeholder shown instead of a logo.
std::string NameInitial(std::string_view name);

}  // namespace gatehouse::ui
