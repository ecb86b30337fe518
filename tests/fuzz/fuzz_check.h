#pragma once
// What every fuzz target shares: the libFuzzer entry point's declaration and FUZZ_CHECK, an
// invariant check that aborts with the failed condition (libFuzzer then saves the input as a
// crash; the corpus replay fails its ctest). Works the same under g++ and clang, with or without
// sanitizers, and is never compiled out (unlike assert under NDEBUG).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace gatehouse::fuzz {

[[noreturn]] inline void CheckFailed(const char* condition, const char* file, int line) {
  std::fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", file, line, condition);
  std::abort();
}

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace gatehouse::fuzz

#define FUZZ_CHECK(condition)         \
  ((condition) ? static_cast<void>(0) \
               : ::gatehouse::fuzz::CheckFailed(#condition, __FILE__, __LINE__))
