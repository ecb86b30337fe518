// Fuzz target: the pure rules of Client ID Metadata Documents (oauth/cimd/client_id_url.h and
// metadata_document.h): the client_id URL check and the document validation that turns a fetched
// body into a client. The input is "<client_id URL>\n<document>"; "$URL" in the document becomes
// the URL text so the fuzzer gets past the byte-for-byte client_id comparison. The first byte of
// the URL line is not part of it when it is '!': then the live environment is used.
// Invariants: an accepted URL is https with a non-empty host, a request target starting with '/',
// and shares its own origin; an accepted document yields a third-party public CIMD client whose
// client_id is the URL, whose name fits and is display text, whose redirect URIs all pass
// registration for that client in that environment, whose client_uri (if any) shares the URL's
// origin, and that has no secret.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/client.h"
#include "core/display_text.h"
#include "core/redirect_uri_policy.h"
#include "fuzz/fuzz_check.h"
#include "oauth/cimd/client_id_url.h"
#include "oauth/cimd/metadata_document.h"

namespace {

namespace cimd = gatehouse::oauth::cimd;
using gatehouse::core::ClientType;
using gatehouse::core::Environment;

void ReplaceAll(std::string& text, std::string_view from, std::string_view to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input = gatehouse::fuzz::AsText(data, size);
  Environment environment = Environment::kTest;
  if (!input.empty() && input.front() == '!') {
    environment = Environment::kLive;
    input.remove_prefix(1);
  }
  const size_t newline = input.find('\n');
  const std::string_view client_id = input.substr(0, newline);
  static_cast<void>(cimd::LooksLikeClientIdUrl(client_id));

  const auto url = cimd::ParseClientIdUrl(client_id);
  if (!url) return 0;
  FUZZ_CHECK(cimd::LooksLikeClientIdUrl(client_id));
  FUZZ_CHECK(url->url == client_id);
  FUZZ_CHECK(client_id.size() <= cimd::kMaxClientIdUrlLength);
  FUZZ_CHECK(!url->host.empty());
  FUZZ_CHECK(!url->target.empty() && url->target.front() == '/' && url->target != "/");
  FUZZ_CHECK(url->port != 0);
  FUZZ_CHECK(cimd::SharesOrigin(*url, client_id));
  if (newline == std::string_view::npos) return 0;

  std::string body(input.substr(newline + 1));
  ReplaceAll(body, "$URL", client_id);
  const auto client = cimd::ParseClientMetadataDocument(*url, body, environment, 1'800'000'000);
  if (!client) return 0;
  FUZZ_CHECK(client->client_id == client_id);
  FUZZ_CHECK(client->client_id_metadata_url == client_id);
  FUZZ_CHECK(client->client_type == ClientType::kThirdPartyPublic);
  FUZZ_CHECK(client->creation_method == gatehouse::core::CreationMethod::kClientIdMetadataDocument);
  FUZZ_CHECK(!client->client_name.empty() &&
             client->client_name.size() <= cimd::kMaxClientNameLength);
  FUZZ_CHECK(gatehouse::core::CheckDisplayText("client_name", client->client_name));
  FUZZ_CHECK(client->secret_hash.empty() && !client->next_secret_hash);
  FUZZ_CHECK(!client->redirect_uris.empty() &&
             client->redirect_uris.size() <= cimd::kMaxDocumentRedirectUris);
  for (const std::string& uri : client->redirect_uris) {
    FUZZ_CHECK(gatehouse::core::ValidateRedirectUriForRegistration(
        uri, client->client_type, environment, client->application_type));
  }
  if (!client->client_uri.empty()) FUZZ_CHECK(cimd::SharesOrigin(*url, client->client_uri));
  FUZZ_CHECK(client->created_at == 1'800'000'000 && client->updated_at == 1'800'000'000);
  return 0;
}
