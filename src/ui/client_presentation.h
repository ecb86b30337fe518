#pragma once
// What the consent page says about a client, beyond its name: facts the user can check against
// what they expect (who published the app, whether anyone vetted it, where they will be sent,
// which services the access is for, whether the app runs on their own device). Pure functions;
// thread-safe.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/client.h"

namespace gatehouse::ui {

// The host of an absolute URI as written, without port ("app.example.com", "127.0.0.1",
// "[::1]"); for a URI without an authority (a private-use scheme such as com.example.app:/cb) the
// scheme, which is what identifies the receiving app. Empty when `uri` does not parse.
std::string UriHost(std::string_view uri);

// True for a client that registered itself (Dynamic Client Registration or a Client ID Metadata
// Document): nobody at the deployment vetted its name, logo or redirect URIs. The pages call it
// "unverified" and never send the browser to it before the user has acted (RFC 9700 §4.11.2).
bool IsSelfRegistered(const core::Client& client);

// For a Client ID Metadata Document client, the host of its client_id URL: whoever controls that
// host published the document the consent page is built from. std::nullopt for other clients.
std::optional<std::string> PublisherHost(const core::Client& client);

// True when the client has redirect URIs and every one has a loopback host (127.0.0.1, [::1],
// localhost): any program on the user's machine could be the receiving app.
bool EveryRedirectUriIsLoopback(const core::Client& client);

// A logo URL safe to put in an <img src>: https only, and for a self-registered client only on
// the issuer's own origin (scheme, host and port), since showing the page would otherwise fetch
// from a host the client chose and tell it who opens the page and when. std::nullopt otherwise.
std::optional<std::string> DisplayableLogoUrl(const core::Client& client, std::string_view issuer);

// True when two absolute URIs have the same scheme, host (both compared case-insensitively) and
// port (an absent port equals the scheme's default for http and https).
bool SameOrigin(std::string_view a, std::string_view b);

// A resource (RFC 8707) as the consent page lists it: the host the user recognises, and the exact
// URI beneath it.
struct ResourceView {
  std::string host;
  std::string uri;
};
// `resources` in request order; a value without a host shows the whole URI as its host.
std::vector<ResourceView> DescribeResources(const std::vector<std::string>& resources);

// The first character (a whole UTF-8 sequence) of the client's name, upper-cased when ASCII, for
// the placeholder shown instead of a logo.
std::string NameInitial(std::string_view name);

// The client's name as the pages show it: its client_id when it has none.
std::string ShownName(const core::Client& client);

}  // namespace gatehouse::ui
