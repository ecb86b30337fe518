#include "app/observability.h"

namespace gatehouse::app {

void AddHealthAndMetricsRoutes(http::Router& router, store::Database& db,
                               const http::Metrics& metrics) {
  router.Add("GET", "/healthz", [&db](http::Request&) {
    const bool ok = db.Ping();
    return http::Response::Json(ok ? 200 : 503,
                                ok ? R"({"status":"ok"})" : R"({"status":"database unavailable"})");
  });
  router.Add("GET", "/metrics", [&metrics](http::Request&) {
    http::Response r = http::Response::Text(200, metrics.Render());
    r.Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    return r;
  });
}

void AddDatabaseGauges(http::Metrics& metrics, const store::Database& db) {
  metrics.AddGauge("gatehouse_db_pool_connections", "Database connections open",
                   [&db] { return static_cast<double>(db.Stats().size); });
  metrics.AddGauge("gatehouse_db_pool_in_use", "Database connections borrowed",
                   [&db] { return static_cast<double>(db.Stats().in_use); });
  metrics.AddCounter("gatehouse_db_pool_waits_total", "Times a request waited for a connection",
                     [&db] { return static_cast<double>(db.Stats().waits); });
}

void AddServerGauges(http::Metrics& metrics, const http::Server& server) {
  metrics.AddGauge("gatehouse_worker_queue_depth", "Requests waiting for a worker thread",
                   [&server] { return static_cast<double>(server.QueueDepth()); });
  metrics.AddGauge("gatehouse_open_connections", "Open client connections",
                   [&server] { return static_cast<double>(server.ConnectionCount()); });
}

}  // namespace gatehouse::app
