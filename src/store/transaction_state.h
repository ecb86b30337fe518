#pragma once
// TransactionState: what an engine's connection (sqlite/, postgres/) knows of the transaction
// open on it, and the rules both engines keep alike (database.h):
//  - a statement that fails inside a transaction poisons it: every later statement throws
//    (CheckNotAborted), as PostgreSQL does natively and SQLite would not on its own;
//  - Commit of a poisoned transaction rolls back and throws instead of committing what was left,
//    so code that catches an error inside Database::Transaction fails on both engines alike;
//  - a COMMIT that throws rolls back first.
//
// Used by one thread at a time, like the connection that owns it. Throws DatabaseError.

#include <string>
#include <string_view>

#include "store/database.h"

namespace gatehouse::store {

class TransactionState {
 public:
  // After BEGIN succeeded (or just before it runs, when BEGIN must count as inside).
  void Begin() {
    open_ = true;
    failed_ = false;
  }
  // After ROLLBACK, or when BEGIN itself failed: no transaction, nothing poisoned.
  void End() noexcept {
    open_ = false;
    failed_ = false;
  }
  // A statement failed; inside a transaction, that poisons it.
  void StatementFailed() noexcept {
    if (open_) failed_ = true;
  }

  bool open() const { return open_; }

  // Throws when an earlier statement of the open transaction failed. `engine` ("sqlite",
  // "postgres") starts the message.
  void CheckNotAborted(std::string_view engine) const {
    if (failed_) {
      throw DatabaseError(
          std::string(engine) + ": current transaction is aborted (an earlier statement failed)",
          false);
    }
  }

  // Ends the transaction with `run_commit` (which sends COMMIT). When a statement failed inside
  // it, or `run_commit` throws, `roll_back` (which must End() this state) runs first and the
  // error propagates.
  template <class RunCommit, class RollBack>
  void Commit(RunCommit&& run_commit, RollBack&& roll_back) {
    if (failed_) {
      roll_back();
      throw DatabaseError(
          "transaction rolled back: a statement inside it failed and its error was caught; let it "
          "propagate out of Transaction, or avoid it (INSERT ... ON CONFLICT)",
          false);
    }
    try {
      run_commit();
    } catch (...) {
      roll_back();
      throw;
    }
    open_ = false;
  }

 private:
  bool open_ = false;
  bool failed_ = false;
};

}  // namespace gatehouse::store
