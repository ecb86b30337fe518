#include "http/pipeline.h"

#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <exception>

#include "core/error.h"
#include "http/responses.h"

namespace gatehouse::http {
namespace {

using core::Error;
using core::ErrorCode;

constexpr std::array<std::string_view, 3> kSingletonHeaders = {"authorization", "content-type",
                                                               "host"};

// A JSON string literal that is plain ASCII whatever the input: bytes outside printable ASCII are
// written as \u00XX, so a hostile path cannot break the log line or a log collector.
void AppendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (u < 0x20 || u > 0x7e) {
      out += "\\u00";
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0x0f]);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

// RFC 3339 UTC with milliseconds: 2024-05-01T12:00:00.123Z
void AppendTimestamp(std::string& out, std::chrono::system_clock::time_point now) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch());
  const std::time_t seconds = static_cast<std::time_t>(ms.count() / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[40];
  const int n = std::snprintf(buffer, sizeof(buffer), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                              tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                              tm.tm_sec, static_cast<int>(ms.count() % 1000));
  out.append(buffer, static_cast<size_t>(n));
}

std::string AccessLogLine(const Request& request, std::string_view route, int status,
                          std::chrono::nanoseconds duration,
                          std::chrono::system_clock::time_point now, std::string_view error) {
  std::string line;
  line.reserve(256);
  line += "{\"time\":\"";
  AppendTimestamp(line, now);
  line += "\",\"request_id\":";
  AppendJsonString(line, request.request_id);
  line += ",\"method\":";
  AppendJsonString(line, request.method);
  line += ",\"route\":";
  AppendJsonString(line, route);
  line += ",\"path\":";
  AppendJsonString(line, request.path);
  line += ",\"status\":";
  line += std::to_string(status);
  line += ",\"duration_ms\":";
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer),
                                    std::chrono::duration<double, std::milli>(duration).count(),
                                    std::chars_format::fixed, 3);
  line.append(buffer, result.ptr);
  line += ",\"remote\":";
  AppendJsonString(line, request.remote_address);
  if (!error.empty()) {
    line += ",\"error\":";
    AppendJsonString(line, error);
  }
  line.push_back('}');
  return line;
}

}  // namespace

void StderrAccessLog(std::string_view line) {
  std::string buffer;
  buffer.reserve(line.size() + 1);
  buffer.append(line);
  buffer.push_back('\n');
  std::fwrite(buffer.data(), 1, buffer.size(), stderr);
}

std::string NewRequestId(core::Random& random) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::array<uint8_t, 8> bytes;
  random.Fill(bytes);
  std::string id(16, '0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    id[2 * i] = kHex[bytes[i] >> 4];
    id[2 * i + 1] = kHex[bytes[i] & 0x0f];
  }
  return id;
}

Pipeline::Pipeline(const Router& router, Metrics& metrics, core::Random& random,
                   const core::Clock& clock, AccessLogSink access_log,
                   TrustedProxies trusted_proxies)
    : router_(router),
      metrics_(metrics),
      random_(random),
      clock_(clock),
      access_log_(std::move(access_log)),
      trusted_proxies_(std::move(trusted_proxies)) {}

Handler Pipeline::AsHandler() const {
  return [this](Request& request) { return Handle(request); };
}

Response Pipeline::Handle(Request& request) const {
  const auto start = std::chrono::steady_clock::now();

  // 1. Request id: assigned before anything can fail, so every log line and error body has one.
  request.request_id = NewRequestId(random_);
  // 1b. Client address: behind a trusted proxy, the forwarded client (cheap when none is set).
  if (!trusted_proxies_.empty()) request.remote_address = ClientAddress(request, trusted_proxies_);

  // 2. Access log and metrics: everything below runs inside this step; its record is written
  //    after the response exists (see the end of this function).
  Response response;
  std::string failure;  // exception text for the log, never for the client

  // 3. Catch-all: whatever escapes limits, router or handler becomes a generic 500/503 here.
  try {
    // 4. Limits: the body size was enforced by the server before the body was read; here, the
    //    headers that must not be ambiguous.
    std::string_view repeated;
    for (std::string_view name : kSingletonHeaders) {
      if (request.HeaderCount(name) > 1) {
        repeated = name;
        break;
      }
    }
    if (!repeated.empty()) {
      response = ErrorResponseFor(
          request.path,
          Error(ErrorCode::kInvalidRequest, "repeated header: " + std::string(repeated)),
          request.request_id);
    } else {
      // 5. Router, then the handler it selects (404/405/OPTIONS answered by the router itself).
      response = router_.Dispatch(request);
    }
  } catch (const core::InfrastructureError& e) {
    failure = e.what();
    const Error error = e.transient() ? Error(ErrorCode::kTemporarilyUnavailable,
                                              "the service is temporarily unavailable, retry later")
                                            .WithRetryAfter(1)
                                      : Error(ErrorCode::kServerError, "internal server error");
    response = ErrorResponseFor(request.path, error, request.request_id);
  } catch (const std::exception& e) {
    failure = e.what();
    if (failure.empty()) failure = "exception without message";
    response = ErrorResponseFor(
        request.path, Error(ErrorCode::kServerError, "internal server error"), request.request_id);
  } catch (...) {
    failure = "non-standard exception";
    response = ErrorResponseFor(
        request.path, Error(ErrorCode::kServerError, "internal server error"), request.request_id);
  }
  response.Set("X-Request-Id", request.request_id);

  // 2 (continued). One metrics sample and one log line per request, labelled by route pattern.
  const auto duration = std::chrono::steady_clock::now() - start;
  const std::string_view route =
      request.route_name.empty() ? Router::kUnmatchedRoute : request.route_name;
  metrics_.RecordRequest(route, request.method, response.status, duration);
  try {
    access_log_(AccessLogLine(request, route, response.status, duration, clock_.Now(), failure));
  } catch (...) {
    // A broken log sink must not turn a served request into a failure.
  }
  return response;
}

}  // namespace gatehouse::http
