#pragma once
// Pipeline: the middleware chain every request goes through, written once (Pipeline::Handle):
//   request id → client address → access log + metrics → catch-all → limits → router → handler.
// The server calls it on a worker thread; tests call it directly with a hand-made Request.
//
// What it guarantees for every request it sees:
// - Request::remote_address is the client address (client_address.h: the forwarded client when
//   the TCP peer is a trusted proxy), for the log and every per-address limit.
// - Request::request_id is 16 random hex characters (from the injected core::Random) and the
//   response carries it as X-Request-Id.
// - One access-log line (a JSON object, no trailing newline) reaches the sink: time, request_id,
//   method, route, path WITHOUT the query string (queries carry codes and tokens), status,
//   duration_ms, remote, and `error` with the exception text when the catch-all fired.
// - An exception never escapes: core::InfrastructureError with transient() becomes 503
//   temporarily_unavailable with Retry-After, anything else 500 server_error; the client sees a
//   generic message only, in the error shape of the path (responses.h).
// - Repeated Authorization, Content-Type or Host headers are refused with 400 before routing:
//   which copy a component would read is ambiguous, and such ambiguity is how request smuggling
//   and credential confusion start.
//
// Holds references to its router, metrics, random and clock: they must outlive it. Handle() is
// const and thread-safe when the sink is (the default sink writes each line with one fwrite).

#include <functional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/random.h"
#include "http/client_address.h"
#include "http/message.h"
#include "http/metrics.h"
#include "http/router.h"

namespace gatehouse::http {

// Receives one access-log line at a time; called concurrently from worker threads.
using AccessLogSink = std::function<void(std::string_view line)>;

// Writes the line and a newline to stderr.
void StderrAccessLog(std::string_view line);

// 16 lower-case hex characters (64 random bits).
std::string NewRequestId(core::Random& random);

class Pipeline {
 public:
  Pipeline(const Router& router, Metrics& metrics, core::Random& random, const core::Clock& clock,
           AccessLogSink access_log = StderrAccessLog, TrustedProxies trusted_proxies = {});

  Response Handle(Request& request) const;

  // `this` as a Handler for the Server; the Pipeline must outlive the server.
  Handler AsHandler() const;

 private:
  const Router& router_;
  Metrics& metrics_;
  core::Random& random_;
  const core::Clock& clock_;
  AccessLogSink access_log_;
  const TrustedProxies trusted_proxies_;
};

}  // namespace gatehouse::http
