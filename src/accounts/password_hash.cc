#include "accounts/password_hash.h"

#include <sodium.h>

#include <array>
#include <stdexcept>

#include "core/blocking_scope.h"

namespace gatehouse::accounts {
namespace {

// Holds one hashing slot for the duration of a call. The wait for it, and the ~50 ms hash
// itself, lend the worker's CPU slot (core::BlockingScope): short requests are not held up behind
// logins, and the semaphore already bounds how many hashes run at once.
class Slot {
 public:
  explicit Slot(std::counting_semaphore<>& slots) : slots_(slots) { slots_.acquire(); }
  ~Slot() { slots_.release(); }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

 private:
  core::BlockingScope lent_;  // opened before the wait, closed after the release
  std::counting_semaphore<>& slots_;
};

}  // namespace

PasswordHashCost InteractivePasswordCost() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

PasswordHashCost MinimumPasswordCost() {
  return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

PasswordHasher::PasswordHasher(PasswordHashCost cost, int max_concurrent)
    : cost_(cost),
      slots_(std::make_unique<std::counting_semaphore<>>(max_concurrent < 1 ? 1 : max_concurrent)) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

PasswordHasher::~PasswordHasher() = default;

std::string PasswordHasher::Hash(std::string_view password) const {
  std::array<char, crypto_pwhash_STRBYTES> out{};
  Slot slot(*slots_);
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), cost_.ops_limit,
                            cost_.mem_limit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("argon2id: out of memory while hashing a password");
  }
  return std::string(out.data());
}

bool PasswordHasher::VerifyUnthrottled(std::string_view password, std::string_view encoded) const {
  // libsodium reads a NUL-terminated string that fits crypto_pwhash_STRBYTES.
  if (encoded.empty() || encoded.size() >= crypto_pwhash_STRBYTES ||
      encoded.find('\0') != std::string_view::npos) {
    return false;
  }
  const std::string terminated(encoded);
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

bool PasswordHasher::Verify(std::string_view password, std::string_view encoded) const {
  Slot slot(*slots_);
  return VerifyUnthrottled(password, encoded);
}

void PasswordHasher::VerifyNothing() const {
  std::call_once(dummy_once_, [this] {
    std::array<unsigned char, 32> random_password{};
    randombytes_buf(random_password.data(), random_password.size());
    dummy_hash_ = Hash(std::string_view(reinterpret_cast<const char*>(random_password.data()),
                                        random_password.size()));
  });
  Slot slot(*slots_);
  // Not the 32 random bytes hashed at construction (its length differs), so never a match.
  static constexpr std::string_view kNotThePassword = "not the password, by construction!";
  static_cast<void>(VerifyUnthrottled(kNotThePassword, dummy_hash_));
}

bool PasswordHasher::NeedsRehash(std::string_view encoded) const {
  if (encoded.empty() || encoded.size() >= crypto_pwhash_STRBYTES) return true;
  const std::string terminated(encoded);
  return crypto_pwhash_str_needs_rehash(terminated.c_str(), cost_.ops_limit, cost_.mem_limit) != 0;
}

}  // namespace gatehouse::accounts
