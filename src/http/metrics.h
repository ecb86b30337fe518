#pragma once
// Metrics: the process's Prometheus registry for the HTTP layer and whatever the application hangs
// on it. Built in:
//   gatehouse_http_requests_total{route,method,status}        counter
//   gatehouse_http_request_duration_seconds{route}            histogram, buckets 0.5 ms … 5 s
// plus gauges and counters read through callbacks at scrape time (AddGauge: database pool size
// and use, worker queue depth, ...; AddCounter: totals kept elsewhere). Render() produces the text
// exposition format (version 0.0.4).
//
// Labels stay bounded: `route` is a route pattern (never a raw path), `method` is folded to the
// standard methods or "OTHER", `status` is a number in 100..599. Should the series count still
// pass a fixed cap, further requests are counted under route="other".
//
// Thread-safe. RecordRequest is lock-free once a series exists (an atomic add per counter); a
// mutex is taken only to create a series, to register a gauge and to render. Gauge callbacks run
// under that mutex on the rendering thread: they must be thread-safe and must not call back into
// Metrics.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace gatehouse::http {

class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  void RecordRequest(std::string_view route, std::string_view method, int status,
                     std::chrono::nanoseconds duration);

  // Registers a gauge read at each Render(). Throws std::invalid_argument for a name that is not
  // a valid Prometheus metric name or is already registered (start-up only).
  void AddGauge(std::string name, std::string help, std::function<double()> read);
  // The same for a value that only grows (exposed with TYPE counter; name it *_total).
  void AddCounter(std::string name, std::string help, std::function<double()> read);

  std::string Render() const;

 private:
  void AddCallback(std::string name, std::string help, std::string_view type,
                   std::function<double()> read);

  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace gatehouse::http
