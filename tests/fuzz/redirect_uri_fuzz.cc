// Fuzz target: redirect URI parsing, registration and matching (core/uri_components.h,
// core/redirect_uri_policy.h). The input is "<registered>\n<requested>" (no newline: the same text
// for both). Invariants:
//   - ParseUriComponents splits without decoding: the components re-assemble to the input byte for
//     byte, a path after an authority is empty or starts with '/', the host holds no delimiter and
//     the port only digits (the Boost.URL 1.81 host bug must not leak through);
//   - a URI valid for registration (any client type, environment, application type) has no
//     fragment or userinfo, an http one has a loopback host, and it matches itself exactly and
//     resolves to itself;
//   - a match between different strings only happens for an http loopback registration, keeps
//     scheme, host, path and query, and the requested URI is then valid wherever the registered
//     one is.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/client.h"
#include "core/redirect_uri_policy.h"
#include "core/uri_components.h"
#include "fuzz/fuzz_check.h"

namespace {

using gatehouse::core::ApplicationType;
using gatehouse::core::ClientType;
using gatehouse::core::Environment;
using gatehouse::core::UriComponents;

bool Within(std::string_view part, std::string_view whole) {
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

std::string Reassemble(const UriComponents& c) {
  std::string out(c.scheme);
  out += ':';
  if (c.has_authority) {
    out += "//";
    if (c.userinfo) out.append(*c.userinfo).append("@");
    out += c.host;
    if (c.port) out.append(":").append(*c.port);
  }
  out += c.path;
  if (c.query) out.append("?").append(*c.query);
  if (c.fragment) out.append("#").append(*c.fragment);
  return out;
}

void CheckComponents(std::string_view uri) {
  const auto parsed = gatehouse::core::ParseUriComponents(uri);
  if (!parsed) return;
  FUZZ_CHECK(!parsed->scheme.empty());
  FUZZ_CHECK(Reassemble(*parsed) == uri);
  for (std::string_view part : {parsed->scheme, parsed->host, parsed->path}) {
    FUZZ_CHECK(part.empty() || Within(part, uri));
  }
  FUZZ_CHECK(parsed->host.find_first_of("@/?#") == std::string_view::npos);
  if (parsed->port) {
    FUZZ_CHECK(parsed->port->find_first_not_of("0123456789") == std::string_view::npos);
  }
  if (parsed->has_authority) {
    FUZZ_CHECK(parsed->path.empty() || parsed->path.front() == '/');
  } else {
    FUZZ_CHECK(parsed->host.empty() && !parsed->port && !parsed->userinfo);
  }
}

struct Registration {
  ClientType client_type;
  Environment environment;
  ApplicationType application_type;
};

std::vector<Registration> AllRegistrations() {
  std::vector<Registration> all;
  for (ClientType type : {ClientType::kFirstParty, ClientType::kFirstPartyPublic,
                          ClientType::kThirdParty, ClientType::kThirdPartyPublic}) {
    for (Environment env : {Environment::kTest, Environment::kLive}) {
      for (ApplicationType app : {ApplicationType::kWeb, ApplicationType::kNative}) {
        all.push_back({type, env, app});
      }
    }
  }
  return all;
}

bool IsHttpScheme(std::string_view scheme) {
  return scheme.size() == 4 && (scheme[0] | 0x20) == 'h' && (scheme[1] | 0x20) == 't' &&
         (scheme[2] | 0x20) == 't' && (scheme[3] | 0x20) == 'p';
}

void CheckRegistrationAndMatch(std::string_view registered, std::string_view requested) {
  static const std::vector<Registration> kRegistrations = AllRegistrations();
  bool valid_anywhere = false;
  for (const Registration& r : kRegistrations) {
    const auto valid = gatehouse::core::ValidateRedirectUriForRegistration(
        registered, r.client_type, r.environment, r.application_type);
    if (!valid) continue;
    valid_anywhere = true;
    const auto parsed = gatehouse::core::ParseUriComponents(registered);
    FUZZ_CHECK(parsed.has_value());
    FUZZ_CHECK(!parsed->fragment && !parsed->userinfo);
    if (IsHttpScheme(parsed->scheme)) {
      FUZZ_CHECK(gatehouse::core::IsLoopbackHost(parsed->host));
    }
  }
  if (valid_anywhere) {
    for (ApplicationType app : {ApplicationType::kWeb, ApplicationType::kNative}) {
      FUZZ_CHECK(gatehouse::core::RedirectUriMatches(registered, registered, app));
      const auto resolved = gatehouse::core::ResolveRedirectUri({std::string(registered)},
                                                                registered, /*openid=*/true, app);
      FUZZ_CHECK(resolved && *resolved == registered);
    }
  }

  // A web application's URI matches only itself; the rest is about the native any-port rule.
  if (gatehouse::core::RedirectUriMatches(registered, requested, ApplicationType::kWeb)) {
    FUZZ_CHECK(registered == requested);
  }
  if (!gatehouse::core::RedirectUriMatches(registered, requested, ApplicationType::kNative)) {
    return;
  }
  FUZZ_CHECK(!registered.empty());
  if (registered == requested) return;
  const auto reg = gatehouse::core::ParseUriComponents(registered);
  const auto req = gatehouse::core::ParseUriComponents(requested);
  FUZZ_CHECK(reg && req);
  FUZZ_CHECK(IsHttpScheme(reg->scheme) && gatehouse::core::IsLoopbackHost(reg->host));
  FUZZ_CHECK(req->scheme == reg->scheme && req->host == reg->host && req->path == reg->path &&
             req->query == reg->query && !req->fragment && !req->userinfo);
  for (const Registration& r : kRegistrations) {
    if (gatehouse::core::ValidateRedirectUriForRegistration(registered, r.client_type,
                                                            r.environment, r.application_type)) {
      FUZZ_CHECK(gatehouse::core::ValidateRedirectUriForRegistration(
          requested, r.client_type, r.environment, r.application_type));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = gatehouse::fuzz::AsText(data, size);
  const size_t newline = text.find('\n');
  const std::string_view registered = text.substr(0, newline);
  const std::string_view requested =
      newline == std::string_view::npos ? text : text.substr(newline + 1);
  CheckComponents(registered);
  CheckComponents(requested);
  CheckRegistrationAndMatch(registered, requested);
  return 0;
}
