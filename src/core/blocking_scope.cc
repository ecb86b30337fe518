#include "core/blocking_scope.h"

namespace gatehouse::core {
namespace {

thread_local BlockingHooks* thread_hooks = nullptr;
thread_local int open_scopes = 0;

}  // namespace

void SetThreadBlockingHooks(BlockingHooks* hooks) { thread_hooks = hooks; }

BlockingScope::BlockingScope() {
  if (open_scopes++ == 0 && thread_hooks != nullptr) thread_hooks->BeginBlocking();
}

BlockingScope::~BlockingScope() {
  if (--open_scopes == 0 && thread_hooks != nullptr) thread_hooks->EndBlocking();
}

}  // namespace gatehouse::core
