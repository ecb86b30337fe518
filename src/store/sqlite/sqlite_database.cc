#include "store/sqlite/sqlite_database.h"

#include <utility>

namespace gatehouse::store::sqlite {

SqliteDatabase::SqliteDatabase(std::string path, const PoolOptions& options)
    : path_(std::move(path)),
      pool_(options, [this] { return SqliteConnection::Open(path_, &writer_); }) {
  pool_.Borrow();  // fail now, not on the first request, when the file cannot be opened
}

void SqliteDatabase::Run(const std::function<void(Connection&)>& fn) {
  auto conn = pool_.Borrow();
  fn(*conn);
}

void SqliteDatabase::Transaction(const std::function<void(Connection&)>& fn) {
  auto conn = pool_.Borrow();
  std::unique_lock<std::mutex> writing = LockWriter(writer_);
  conn->Begin();
  try {
    fn(*conn);
  } catch (...) {
    conn->Rollback();
    throw;
  }
  conn->Commit();
}

}  // namespace gatehouse::store::sqlite
