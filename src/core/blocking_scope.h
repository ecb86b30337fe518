#pragma once
// BlockingScope: marks a stretch of code that waits on something other than this machine's CPU — a
// database round trip, a lock another request holds, an outbound fetch. A thread that runs work
// under a CPU budget (the server's worker pool, see http/worker_pool.h) installs BlockingHooks;
// while a scope is open the budget lends this thread's CPU slot to another request, and the scope's
// end takes a slot back (waiting for one, briefly, if all are in use).
//
// On a thread without hooks (tests, the CLI, background jobs) a scope does nothing. Scopes nest;
// only the outermost one calls the hooks. A scope must not be opened while holding a lock that a
// thread needs to give up its slot (none does: slot bookkeeping takes only its own mutex), and a
// scope's end may wait, so end it after releasing locks other threads wait on.
//
// Thread-local state only: a scope belongs to the thread that opened it (not movable or copyable).

namespace gatehouse::core {

class BlockingHooks {
 public:
  virtual ~BlockingHooks() = default;
  // The calling thread is about to wait off-CPU.
  virtual void BeginBlocking() = 0;
  // It is back and about to use the CPU again; may wait for a slot.
  virtual void EndBlocking() = 0;
};

// Installs `hooks` for the calling thread (nullptr removes them). The hooks must outlive the
// thread's use of them.
void SetThreadBlockingHooks(BlockingHooks* hooks);

class BlockingScope {
 public:
  BlockingScope();
  ~BlockingScope();
  BlockingScope(const BlockingScope&) = delete;
  BlockingScope& operator=(const BlockingScope&) = delete;
};

}  // namespace gatehouse::core
