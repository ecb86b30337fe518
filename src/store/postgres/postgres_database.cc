#include "store/postgres/postgres_database.h"

#include <chrono>
#include <thread>
#include <utility>

#include "core/blocking_scope.h"

namespace gatehouse::store::postgres {

PostgresDatabase::PostgresDatabase(std::string url, const PoolOptions& options)
    : url_(std::move(url)), pool_(options, [this] { return PostgresConnection::Open(url_); }) {
  pool_.Borrow();  // fail at start-up, not on the first request, when the server is unreachable
}

void PostgresDatabase::Run(const std::function<void(Connection&)>& fn) {
  auto conn = pool_.Borrow();
  fn(*conn);
}

void PostgresDatabase::Transaction(const std::function<void(Connection&)>& fn) {
  auto conn = pool_.Borrow();
  for (int attempt = 1;; ++attempt) {
    try {
      conn->Begin();
      fn(*conn);
      conn->Commit();
      return;
    } catch (const SerializationFailure&) {
      conn->Rollback();
      if (attempt >= kMaxTransactionAttempts || conn->Broken()) throw;
    } catch (...) {
      conn->Rollback();
      throw;
    }
    // The competing transaction usually finishes within a millisecond or two.
    core::BlockingScope backing_off;
    std::this_thread::sleep_for(std::chrono::milliseconds(attempt));
  }
}

}  // namespace gatehouse::store::postgres
