#pragma once
// Server: HTTP/1.1 over TCP (Boost.Beast; kept out of this header). Accepts, reads and writes
// asynchronously on `io_threads` threads; runs every request's handler on a bounded pool of
// `worker_threads` (handlers block on the database, I/O threads never do) and posts the response
// back to the connection's strand.
//
// Per connection, requests are handled one at a time in arrival order, so pipelined requests are
// answered in order. Keep-alive follows HTTP/1.1 rules; HTTP/1.0 and `Connection: close` close
// the connection after the response.
//
// Failure behaviour (never a crash, never a hang):
// - header block over header_limit → 431, Content-Length (or chunked body) over body_limit →
//   413 before the body is read, unparseable request → 400; each with a JSON error body and
//   `Connection: close`.
// - The request head and body must arrive within read_timeout of the first byte; a connection
//   idle between requests longer than idle_timeout (or read_timeout before its first request) is
//   closed, as is one whose response cannot be written within write_timeout.
// - Worker queue full (max_queued waiting) → 503 with `Retry-After: 1`, handler not run.
// - A handler that throws → 500 (the Pipeline normally catches first).
// - Past max_connections, new connections are closed at once.
// Every response carries Content-Length (except 204), Date, `X-Content-Type-Options: nosniff`,
// `Cache-Control: no-store` unless the handler set Cache-Control, and X-Request-Id (the one the
// handler set or, for responses the server makes itself, a fresh one). CR/LF in handler header
// values are replaced, so a handler cannot split a response.
//
// Lifetime: the worker threads start with the object; Start() binds and listens (throws
// std::runtime_error naming the address when it cannot), or adopts a socket bound earlier
// (listen_socket.h), in which case options.address and options.port are not used; Stop() — also run
// by the destructor — is graceful: it stops accepting, closes idle connections, lets requests
// already being read or handled finish and be written (with `Connection: close`), waits up to
// drain_timeout for that, then closes what is left and joins its threads. A handler still running
// at that point cannot be cancelled: Stop waits for it. The handler must be thread-safe. Start,
// Stop and RunUntilSignal are for one controlling thread; port(), QueueDepth() and
// ConnectionCount() may be called from any thread.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/random.h"
#include "http/listen_socket.h"
#include "http/message.h"
#include "http/metrics.h"

namespace gatehouse::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;  // 0: an ephemeral port, see Server::port()
  size_t io_threads = 1;
  size_t worker_threads = 8;
  size_t worker_cpu_slots = 0;  // handlers on the CPU at once; 0: one per CPU (see WorkerPool)
  size_t max_queued = 1024;
  size_t header_limit = 16 * 1024;
  size_t body_limit = 1024 * 1024;
  std::chrono::milliseconds read_timeout{10'000};
  std::chrono::milliseconds idle_timeout{30'000};
  std::chrono::milliseconds write_timeout{10'000};
  std::chrono::milliseconds drain_timeout{10'000};
  size_t max_connections = 10'000;
  // Optional, not owned, must outlive the server. `random` makes the request ids of responses
  // the server produces itself (400/413/431/503); without it they come from a process-local
  // sequence. `metrics` counts those responses under route="rejected".
  core::Random* random = nullptr;
  Metrics* metrics = nullptr;
};

class Server {
 public:
  Server(ServerOptions options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  void Start();
  void Start(ListenSocket socket);
  // The bound port (the ephemeral one when options.port was 0); 0 before Start().
  uint16_t port() const;
  void Stop();
  // Start() if needed, block until SIGINT or SIGTERM (or another thread's Stop()), then Stop().
  void RunUntilSignal();

  size_t QueueDepth() const;       // requests waiting for a worker
  size_t ConnectionCount() const;  // open connections

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gatehouse::http
