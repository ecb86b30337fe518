// Micro-benchmarks for the HTTP layer's per-request work: decoding a token request body, routing
// among the full set of Gatehouse routes, rendering a token response, the whole middleware chain
// and the metrics hot path.

#include <benchmark/benchmark.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "http/form.h"
#include "http/metrics.h"
#include "http/pipeline.h"
#include "http/responses.h"
#include "http/router.h"

namespace gatehouse::http {
namespace {

constexpr std::string_view kTokenRequestBody =
    "grant_type=authorization_code"
    "&code=Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5d2FsZG8"
    "&redirect_uri=https%3A%2F%2Fapp.example.com%2Foauth%2Fcallback"
    "&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    "&client_id=connected-app-test-d731954d-dab3-4a2b-bdee-07f3ad1be885";

void BM_ParseTokenRequestBody(benchmark::State& state) {
  for (auto _ : state) {
    auto form = ParseForm(kTokenRequestBody);
    benchmark::DoNotOptimize(form->Get("code_verifier"));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kTokenRequestBody.size()));
}
BENCHMARK(BM_ParseTokenRequestBody);

void BM_ParseBasicAuth(benchmark::State& state) {
  // "connected-app-test-d731954d:secret-...": a typical client_secret_basic header.
  const std::string header =
      "Basic Y29ubmVjdGVkLWFwcC10ZXN0LWQ3MzE5NTRkOnNlY3JldC10ZXN0LUI3a0JOMFF2V0N2YUo0WGl2cDN3";
  for (auto _ : state) benchmark::DoNotOptimize(ParseBasicAuth(header));
}
BENCHMARK(BM_ParseBasicAuth);

// The routes Gatehouse serves (DESIGN.md §3), so lookups scan a realistic table.
void AddGatehouseRoutes(Router& router) {
  const Handler ok = [](Request&) { return Response::Text(200, "ok"); };
  const std::vector<std::pair<std::string_view, std::string_view>> routes = {
      {"GET", "/.well-known/openid-configuration"},
      {"GET", "/.well-known/oauth-authorization-server"},
      {"GET", "/.well-known/jwks.json"},
      {"GET", "/oauth2/authorize"},
      {"POST", "/oauth2/authorize"},
      {"GET", "/oauth2/logout"},
      {"POST", "/v1/oauth2/token"},
      {"POST", "/v1/oauth2/introspect"},
      {"POST", "/v1/oauth2/revoke"},
      {"GET", "/v1/oauth2/userinfo"},
      {"POST", "/v1/oauth2/userinfo"},
      {"POST", "/v1/oauth2/register"},
      {"POST", "/v1/connected_apps/clients"},
      {"GET", "/v1/connected_apps/clients/{client_id}"},
      {"PUT", "/v1/connected_apps/clients/{client_id}"},
      {"DELETE", "/v1/connected_apps/clients/{client_id}"},
      {"POST", "/v1/connected_apps/clients/search"},
      {"POST", "/v1/connected_apps/clients/{client_id}/secrets/rotate/start"},
      {"POST", "/v1/connected_apps/clients/{client_id}/secrets/rotate"},
      {"POST", "/v1/connected_apps/clients/{client_id}/secrets/rotate/cancel"},
      {"POST", "/v1/m2m/clients"},
      {"GET", "/v1/m2m/clients/{client_id}"},
      {"PUT", "/v1/m2m/clients/{client_id}"},
      {"DELETE", "/v1/m2m/clients/{client_id}"},
      {"POST", "/v1/m2m/clients/search"},
      {"GET", "/v1/rbac/policy"},
      {"PUT", "/v1/rbac/policy"},
      {"POST", "/v1/users"},
      {"GET", "/v1/users/{user_id}"},
      {"PUT", "/v1/users/{user_id}"},
      {"DELETE", "/v1/users/{user_id}"},
      {"GET", "/v1/users/{user_id}/connected_apps"},
      {"POST", "/v1/users/{user_id}/connected_apps/{client_id}/revoke"},
      {"POST", "/v1/organizations"},
      {"GET", "/v1/organizations/{organization_id}"},
      {"POST", "/v1/sessions/authenticate"},
      {"POST", "/v1/sessions/revoke"},
      {"POST", "/v1/sessions/exchange_access_token"},
      {"POST", "/v1/passwords/authenticate"},
      {"POST", "/v1/idp/oauth/authorize/start"},
      {"POST", "/v1/idp/oauth/authorize"},
      {"GET", "/healthz"},
      {"GET", "/metrics"},
  };
  for (const auto& [method, pattern] : routes) {
    router.Add(method, pattern, ok, {.cors = pattern.starts_with("/v1/oauth2/")});
  }
}

void BM_RouterDispatchToken(benchmark::State& state) {
  Router router;
  AddGatehouseRoutes(router);
  Request request;
  request.method = "POST";
  request.path = "/v1/oauth2/token";
  for (auto _ : state) benchmark::DoNotOptimize(router.Dispatch(request));
}
BENCHMARK(BM_RouterDispatchToken);

void BM_RouterDispatchCapture(benchmark::State& state) {
  Router router;
  AddGatehouseRoutes(router);
  Request request;
  request.method = "POST";
  request.path = "/v1/users/user-test-16d9ba61/connected_apps/connected-app-test-d731954d/revoke";
  for (auto _ : state) benchmark::DoNotOptimize(router.Dispatch(request));
}
BENCHMARK(BM_RouterDispatchCapture);

void BM_RenderTokenResponse(benchmark::State& state) {
  const std::string access_token(900, 'a');  // an RS256 JWT access token is ~800-1000 bytes
  const std::string id_token(1100, 'i');
  const std::string refresh_token(43, 'r');
  for (auto _ : state) {
    boost::json::object body;
    body["access_token"] = access_token;
    body["token_type"] = "Bearer";
    body["expires_in"] = 3600;
    body["scope"] = "openid profile email offline_access";
    body["refresh_token"] = refresh_token;
    body["id_token"] = id_token;
    Response response = JsonResponse(200, body);
    response.Set("Cache-Control", "no-store");
    benchmark::DoNotOptimize(response);
  }
}
BENCHMARK(BM_RenderTokenResponse);

void BM_RenderOAuthError(benchmark::State& state) {
  const core::Error error(core::ErrorCode::kInvalidGrant, "authorization code already used");
  for (auto _ : state) benchmark::DoNotOptimize(OAuthErrorResponse(error));
}
BENCHMARK(BM_RenderOAuthError);

void BM_MetricsRecordRequest(benchmark::State& state) {
  Metrics metrics;
  for (auto _ : state) {
    metrics.RecordRequest("/v1/oauth2/token", "POST", 200, std::chrono::microseconds(850));
  }
}
BENCHMARK(BM_MetricsRecordRequest)->Threads(1)->Threads(2);

class CountingRandom final : public core::Random {
 public:
  void Fill(std::span<uint8_t> out) override {
    for (auto& b : out) b = static_cast<uint8_t>(++state_);
  }

 private:
  uint8_t state_ = 0;
};

void BM_PipelineHandle(benchmark::State& state) {
  Router router;
  AddGatehouseRoutes(router);
  Metrics metrics;
  CountingRandom random;
  core::SystemClock clock;
  Pipeline pipeline(router, metrics, random, clock,
                    [](std::string_view line) { benchmark::DoNotOptimize(line.data()); });
  Request request;
  request.method = "POST";
  request.target = "/v1/oauth2/token";
  request.path = request.target;
  request.remote_address = "127.0.0.1";
  request.headers = {{"host", "127.0.0.1:8080"},
                     {"content-type", "application/x-www-form-urlencoded"},
                     {"authorization", "Basic Y2xpZW50OnNlY3JldA=="}};
  for (auto _ : state) benchmark::DoNotOptimize(pipeline.Handle(request));
}
BENCHMARK(BM_PipelineHandle);

}  // namespace
}  // namespace gatehouse::http
