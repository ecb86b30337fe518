// Micro-benchmarks for the core rules on the authorization request path: redirect URI matching
// (every /oauth2/authorize request) and scope parsing (every authorize and token request).

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "core/redirect_uri_policy.h"
#include "core/scope.h"

namespace gatehouse::core {
namespace {

void BM_RedirectUriMatchesExact(benchmark::State& state) {
  const std::string registered = "https://app.example.com/oauth/callback?tenant=acme";
  const std::string requested = registered;
  for (auto _ : state)
    benchmark::DoNotOptimize(RedirectUriMatches(registered, requested, ApplicationType::kWeb));
}
BENCHMARK(BM_RedirectUriMatchesExact);

void BM_RedirectUriMismatch(benchmark::State& state) {
  const std::string registered = "https://app.example.com/oauth/callback";
  const std::string requested = "https://app.example.com.evil.example/oauth/callback";
  for (auto _ : state)
    benchmark::DoNotOptimize(RedirectUriMatches(registered, requested, ApplicationType::kWeb));
}
BENCHMARK(BM_RedirectUriMismatch);

void BM_RedirectUriMatchesLoopbackPort(benchmark::State& state) {
  const std::string registered = "http://127.0.0.1/callback";
  const std::string requested = "http://127.0.0.1:53682/callback";
  for (auto _ : state)
    benchmark::DoNotOptimize(RedirectUriMatches(registered, requested, ApplicationType::kNative));
}
BENCHMARK(BM_RedirectUriMatchesLoopbackPort);

void BM_RedirectUriMatchesIpv6Loopback(benchmark::State& state) {
  const std::string registered = "http://[::1]:8080/cb";
  const std::string requested = "http://[::1]:61023/cb";
  for (auto _ : state)
    benchmark::DoNotOptimize(RedirectUriMatches(registered, requested, ApplicationType::kNative));
}
BENCHMARK(BM_RedirectUriMatchesIpv6Loopback);

// A client with several registered URIs, the requested one last.
void BM_ResolveRedirectUriAmongSeveral(benchmark::State& state) {
  const std::vector<std::string> registered = {"https://app.example.com/cb",
                                               "https://staging.example.com/cb",
                                               "com.example.app:/cb", "http://127.0.0.1/callback"};
  const std::string requested = "http://127.0.0.1:49152/callback";
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        ResolveRedirectUri(registered, requested, true, ApplicationType::kNative));
  }
}
BENCHMARK(BM_ResolveRedirectUriAmongSeveral);

void BM_ScopeSetParseTypical(benchmark::State& state) {
  const std::string text = "openid profile email offline_access";
  for (auto _ : state) benchmark::DoNotOptimize(ScopeSet::Parse(text));
}
BENCHMARK(BM_ScopeSetParseTypical);

// Many custom scopes (RBAC-heavy deployments), out of order and with duplicates.
void BM_ScopeSetParseMany(benchmark::State& state) {
  std::string text;
  for (int64_t i = state.range(0); i > 0; --i) {
    text += "read:resource" + std::to_string(i % 97) + " ";
  }
  for (auto _ : state) benchmark::DoNotOptimize(ScopeSet::Parse(text));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_ScopeSetParseMany)->Arg(16)->Arg(256);

}  // namespace
}  // namespace gatehouse::core
