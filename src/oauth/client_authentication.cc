#include "oauth/client_authentication.h"

#include <string>

#include "http/responses.h"

namespace gatehouse::oauth {
namespace {

ClientAuthentication Fail(core::ErrorCode code, std::string_view description, bool used_header) {
  ClientAuthentication result;
  result.error = core::Error(code, description);
  result.used_authorization_header = used_header;
  return result;
}

bool StartsWithBasic(std::string_view header) {
  constexpr std::string_view kBasic = "basic ";
  if (header.size() < kBasic.size()) return false;
  for (size_t i = 0; i < kBasic.size(); ++i) {
    const char c = header[i];
    if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != kBasic[i]) return false;
  }
  return true;
}

// What the request presents, before the client is looked up.
struct PresentedCredentials {
  std::string client_id;
  std::optional<std::string> secret;
  ClientAuthMethod method = ClientAuthMethod::kNone;
  bool used_header = false;
};

// Reads the credentials by the header comment's rules into `out`; a failure comes back as the
// ClientAuthentication to answer.
std::optional<ClientAuthentication> ReadCredentials(const http::Request& request,
                                                    const http::FormParams& form,
                                                    PresentedCredentials& out) {
  core::Result<std::optional<std::string_view>> body_id = form.Single("client_id");
  if (!body_id) return Fail(core::ErrorCode::kInvalidRequest, body_id.error().description(), false);
  core::Result<std::optional<std::string_view>> body_secret = form.Single("client_secret");
  if (!body_secret) {
    return Fail(core::ErrorCode::kInvalidRequest, body_secret.error().description(), false);
  }

  const std::optional<std::string_view> authorization = request.Header("authorization");
  if (authorization && StartsWithBasic(*authorization)) {
    out.used_header = true;
    if (request.HeaderCount("authorization") > 1) {
      return Fail(core::ErrorCode::kInvalidRequest, "Authorization header is repeated", true);
    }
    auto credentials = http::ParseBasicAuth(*authorization);
    if (!credentials) {
      return Fail(core::ErrorCode::kInvalidClient, "malformed Basic credentials", true);
    }
    if (*body_secret) {
      return Fail(core::ErrorCode::kInvalidRequest,
                  "the client used more than one authentication method", true);
    }
    if (*body_id && **body_id != credentials->first) {
      return Fail(core::ErrorCode::kInvalidRequest,
                  "client_id in the body differs from the Authorization header", true);
    }
    out.client_id = std::move(credentials->first);
    if (!credentials->second.empty()) {
      out.secret = std::move(credentials->second);
      out.method = ClientAuthMethod::kClientSecretBasic;
    }
  } else {
    if (!*body_id) {
      if (*body_secret) {
        return Fail(core::ErrorCode::kInvalidRequest, "client_secret without client_id", false);
      }
      return Fail(core::ErrorCode::kInvalidClient, "client authentication is required", false);
    }
    out.client_id = std::string(**body_id);
    if (*body_secret) {
      out.secret = std::string(**body_secret);
      out.method = ClientAuthMethod::kClientSecretPost;
    }
  }
  return std::nullopt;
}

}  // namespace

ClientAuthentication AuthenticateClient(const http::Request& request, const http::FormParams& form,
                                        accounts::ClientDirectory& clients) {
  PresentedCredentials presented;
  if (std::optional<ClientAuthentication> failure = ReadCredentials(request, form, presented)) {
    return *std::move(failure);
  }
  const bool used_header = presented.used_header;
  core::Result<std::shared_ptr<const core::Client>> client = clients.Find(presented.client_id);
  if (!client) {
    return Fail(core::ErrorCode::kInvalidClient,
                client.error().code() == core::ErrorCode::kInvalidClient
                    ? std::string_view(client.error().description())
                    : std::string_view("the client could not be resolved"),
                used_header);
  }
  if (core::IsPublic((*client)->client_type)) {
    if (presented.secret) {
      return Fail(core::ErrorCode::kInvalidClient, "a public client must not send a secret",
                  used_header);
    }
  } else if (!presented.secret) {
    return Fail(core::ErrorCode::kInvalidClient, "client authentication is required", used_header);
  } else if (!clients.VerifySecret(**client, *presented.secret)) {
    return Fail(core::ErrorCode::kInvalidClient, "client authentication failed", used_header);
  }
  ClientAuthentication result;
  result.client = std::move(client).value();
  result.method = presented.method;
  result.used_authorization_header = used_header;
  return result;
}

core::Result<std::shared_ptr<const store::M2mClient>> AuthenticateM2mClient(
    const http::Request& request, const http::FormParams& form, accounts::M2mClients& clients) {
  PresentedCredentials presented;
  if (std::optional<ClientAuthentication> failure = ReadCredentials(request, form, presented)) {
    return *failure->error;
  }
  std::shared_ptr<const store::M2mClient> client = clients.Find(presented.client_id);
  if (client == nullptr) return core::Error(core::ErrorCode::kInvalidClient, "unknown client");
  if (!presented.secret) {
    return core::Error(core::ErrorCode::kInvalidClient, "client authentication is required");
  }
  if (!clients.VerifySecret(*client, *presented.secret)) {
    return core::Error(core::ErrorCode::kInvalidClient, "client authentication failed");
  }
  // Only once the secret is right: only a caller holding the secret learns the client is inactive.
  if (client->status != "active") {
    return core::Error(core::ErrorCode::kInvalidClient, "the M2M client is inactive");
  }
  return client;
}

bool UsesBasicAuthentication(const http::Request& request) {
  const std::optional<std::string_view> authorization = request.Header("authorization");
  return authorization && StartsWithBasic(*authorization);
}

http::Response ClientAuthenticationErrorResponse(const ClientAuthentication& failure) {
  http::Response response = http::OAuthErrorResponse(*failure.error);
  if (failure.error->code() == core::ErrorCode::kInvalidClient &&
      failure.used_authorization_header) {
    response.Set("WWW-Authenticate", "Basic realm=\"gatehouse\"");
  }
  return response;
}

core::Result<http::FormParams> ReadFormBody(const http::Request& request) {
  const std::optional<std::string_view> content_type = request.Header("content-type");
  if (!content_type || !http::IsFormContentType(*content_type)) {
    return core::Error(core::ErrorCode::kInvalidRequest,
                       "the body must be application/x-www-form-urlencoded");
  }
  return http::ParseForm(request.body);
}

std::variant<ClientForm, http::Response> ReadClientForm(const http::Request& request,
                                                        accounts::ClientDirectory& clients) {
  core::Result<http::FormParams> form = ReadFormBody(request);
  if (!form) return http::OAuthErrorResponse(form.error());
  ClientAuthentication auth = AuthenticateClient(request, *form, clients);
  if (!auth.ok()) return ClientAuthenticationErrorResponse(auth);
  return ClientForm{.form = std::move(form).value(), .auth = std::move(auth)};
}

}  // namespace gatehouse::oauth
