#pragma once
// How an operator watches a running gatehouse process: GET /healthz (200 {"status":"ok"} while the
// database answers a trivial query, else 503) and GET /metrics (the Prometheus text of `metrics`),
// plus the gauges that read the database pool and the server at scrape time.
//
// Called at start-up, before serving. The database, the metrics and the server must outlive the
// routes and gauges registered here; reading them is thread-safe.

#include "http/metrics.h"
#include "http/router.h"
#include "http/server.h"
#include "store/database.h"

namespace gatehouse::app {

void AddHealthAndMetricsRoutes(http::Router& router, store::Database& db,
                               const http::Metrics& metrics);
// gatehouse_db_pool_connections, gatehouse_db_pool_in_use, gatehouse_db_pool_waits_total.
void AddDatabaseGauges(http::Metrics& metrics, const store::Database& db);
// gatehouse_worker_queue_depth, gatehouse_open_connections.
void AddServerGauges(http::Metrics& metrics, const http::Server& server);

}  // namespace gatehouse::app
