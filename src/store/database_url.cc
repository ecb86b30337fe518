#include "store/database_url.h"

#include <libpq-fe.h>

#include <string>

namespace gatehouse::store {
namespace {

constexpr std::string_view kSqliteScheme = "sqlite://";
constexpr std::string_view kPostgresSchemes[] = {"postgres://", "postgresql://"};

[[noreturn]] void Malformed(std::string_view url, std::string_view why) {
  throw DatabaseError("invalid database_url '" + RedactDatabaseUrl(url) + "': " + std::string(why),
                      false);
}

bool IsPostgres(std::string_view url) {
  for (std::string_view scheme : kPostgresSchemes) {
    if (url.starts_with(scheme)) return true;
  }
  return false;
}

// Replaces the value of every "password=" query parameter with "***".
void RedactPasswordParameter(std::string& url) {
  constexpr std::string_view kKey = "password=";
  size_t pos = url.find('?');
  while (pos != std::string::npos) {
    const size_t start = pos + 1;
    if (std::string_view(url).substr(start).starts_with(kKey)) {
      const size_t value = start + kKey.size();
      const size_t end = url.find('&', value);
      url.replace(value, end == std::string::npos ? std::string::npos : end - value, "***");
    }
    pos = url.find('&', start);
  }
}

}  // namespace

std::string RedactDatabaseUrl(std::string_view url) {
  std::string out(url);
  if (!IsPostgres(url)) return out;
  const size_t authority = out.find("://") + 3;
  const size_t authority_end = out.find_first_of("/?", authority);
  const size_t at = out.rfind('@', authority_end == std::string::npos ? out.size() : authority_end);
  if (at != std::string::npos && at >= authority) {
    const size_t colon = out.find(':', authority);
    if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
  }
  RedactPasswordParameter(out);
  return out;
}

DatabaseUrl ParseDatabaseUrl(std::string_view url) {
  if (url.empty()) {
    throw DatabaseError("database_url is empty: expected sqlite://PATH or postgres://...", false);
  }
  if (url.starts_with(kSqliteScheme)) {
    std::string_view path = url.substr(kSqliteScheme.size());
    if (path.empty()) Malformed(url, "no file path after sqlite://");
    if (path == ":memory:" || path.starts_with("file:")) {
      Malformed(url,
                "only file paths are supported (an in-memory database cannot be shared by "
                "the connection pool)");
    }
    if (path.find_first_of("?#") != std::string_view::npos) {
      Malformed(url, "sqlite:// URLs take a plain file path, without '?' or '#'");
    }
    if (path.back() == '/') Malformed(url, "the path names a directory, not a file");
    return {Engine::kSqlite, std::string(path)};
  }
  if (IsPostgres(url)) {
    std::string target(url);
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(target.c_str(), &error);
    if (options == nullptr) {
      std::string why = error != nullptr ? error : "cannot be parsed as a libpq connection URI";
      PQfreemem(error);
      while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
      Malformed(url, why);
    }
    PQconninfoFree(options);
    return {Engine::kPostgres, std::move(target)};
  }
  const size_t colon = url.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    Malformed(url, "no scheme: expected sqlite://PATH or postgres://...");
  }
  const std::string_view scheme = url.substr(0, colon);
  if (scheme == "sqlite" || scheme == "postgres" || scheme == "postgresql") {
    Malformed(url, "expected '" + std::string(scheme) + "://' at the start");
  }
  Malformed(url, "unsupported scheme '" + std::string(scheme) +
                     "': expected sqlite://PATH or postgres://... (lower case)");
}

}  // namespace gatehouse::store
