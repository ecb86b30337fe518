#pragma once
// Thread-safety annotations: which mutex guards which member, which functions take or need it.
// Under Clang they become the attributes of Clang's thread-safety analysis, so
// `clang++ -Wthread-safety` (scripts/thread-safety-check, run by `make test`) proves at compile
// time that every access to a guarded member holds its mutex. Under any other compiler (the
// build uses g++) they compile to nothing: they cost nothing and change no code.
//
// The capability they name must be a core::Mutex (core/mutex.h): std::mutex carries no
// capability attributes in libstdc++, so the analysis cannot see it being locked.
//
// Names are unprefixed (GUARDED_BY, not GH_GUARDED_BY) so they read as Clang's documentation and
// our style guide write them. No dependency defines them (Boost, OpenSSL, SQLite, libpq, gtest
// and benchmark were checked); should one ever, g++ reports the redefinition, which -Werror turns
// into a build failure rather than a silent change of meaning.
//
// Usage, briefly (see https://clang.llvm.org/docs/ThreadSafetyAnalysis.html):
//   core::Mutex mu_;
//   int count_ GUARDED_BY(mu_) = 0;           // read and written only with mu_ held
//   void BumpLocked() REQUIRES(mu_);          // callers hold mu_
//   void Bump() EXCLUDES(mu_);                // takes mu_ itself: callers must not hold it
//   cv.wait(lock.native(), [this]() REQUIRES(mu_) { return count_ > 0; });
// A lambda is analysed on its own, without the locks of the function around it; a condition
// variable predicate runs with the lock held, which REQUIRES on the lambda says.

#if defined(__clang__)
#define GATEHOUSE_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define GATEHOUSE_THREAD_ANNOTATION(x)
#endif

// On a class: its objects are capabilities (mutexes); `x` names the kind in messages.
#define CAPABILITY(x) GATEHOUSE_THREAD_ANNOTATION(capability(x))
// On a class: RAII objects that hold a capability from construction to destruction.
#define SCOPED_CAPABILITY GATEHOUSE_THREAD_ANNOTATION(scoped_lockable)

// On a member: reading needs the capability held (shared or exclusive), writing needs it exclusive.
#define GUARDED_BY(x) GATEHOUSE_THREAD_ANNOTATION(guarded_by(x))
// On a pointer member: the same for the data it points to (the pointer itself is not guarded).
#define PT_GUARDED_BY(x) GATEHOUSE_THREAD_ANNOTATION(pt_guarded_by(x))

// On a mutex member: the order in which mutexes must be taken.
#define ACQUIRED_BEFORE(...) GATEHOUSE_THREAD_ANNOTATION(acquired_before(__VA_ARGS__))
#define ACQUIRED_AFTER(...) GATEHOUSE_THREAD_ANNOTATION(acquired_after(__VA_ARGS__))

// On a function: the caller must hold the capabilities (exclusively / shared) during the call.
#define REQUIRES(...) GATEHOUSE_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define REQUIRES_SHARED(...) GATEHOUSE_THREAD_ANNOTATION(requires_shared_capability(__VA_ARGS__))

// On a function: it takes / releases the capabilities (none named: `this`).
#define ACQUIRE(...) GATEHOUSE_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define ACQUIRE_SHARED(...) GATEHOUSE_THREAD_ANNOTATION(acquire_shared_capability(__VA_ARGS__))
#define RELEASE(...) GATEHOUSE_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define RELEASE_SHARED(...) GATEHOUSE_THREAD_ANNOTATION(release_shared_capability(__VA_ARGS__))
// On a function: it takes the capabilities only when it returns `result` (the first argument).
#define TRY_ACQUIRE(...) GATEHOUSE_THREAD_ANNOTATION(try_acquire_capability(__VA_ARGS__))
#define TRY_ACQUIRE_SHARED(...) \
  GATEHOUSE_THREAD_ANNOTATION(try_acquire_shared_capability(__VA_ARGS__))

// On a function: the caller must not hold the capabilities (the function takes them itself).
#define EXCLUDES(...) GATEHOUSE_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))

// On a function: tells the analysis the capability is held from here on (no runtime check here).
#define ASSERT_CAPABILITY(x) GATEHOUSE_THREAD_ANNOTATION(assert_capability(x))
#define ASSERT_SHARED_CAPABILITY(x) GATEHOUSE_THREAD_ANNOTATION(assert_shared_capability(x))

// On a function: it returns a reference to the capability `x`.
#define RETURN_CAPABILITY(x) GATEHOUSE_THREAD_ANNOTATION(lock_returned(x))

// On a function: not analysed. Only where the locking is correct but beyond the analysis; say why.
#define NO_THREAD_SAFETY_ANALYSIS GATEHOUSE_THREAD_ANNOTATION(no_thread_safety_analysis)
